/** The question before a delete: 「N件を削除します。よろしいですか？」, delete or cancel. */
import { useWords } from '../i18n';

export function ConfirmDelete(props: {
  count: number;
  onDelete: () => void;
  onCancel: () => void;
}) {
  const { t } = useWords();
  return (
    <div class="confirm card" role="alertdialog" data-testid="confirm">
      <p>{t('confirmDelete', { count: props.count })}</p>
      <button type="button" class="danger" data-testid="confirm-yes" onClick={props.onDelete}>
        {t('delete')}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
