/** The question before a delete: 「N件を削除します。よろしいですか？」, delete or cancel. */
import { useState } from 'preact/hooks';
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

/**
 * A detail screen's delete: the danger button in its own toolbar, then the question; `onDelete`
 * runs once the user confirms (the question is closed first).
 */
export function DeleteWithConfirm(props: { label: string; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <div class="toolbar">
        <button
          type="button"
          class="danger"
          data-testid="delete"
          onClick={() => setConfirming(true)}
        >
          {props.label}
        </button>
      </div>
      {confirming && (
        <ConfirmDelete
          count={1}
          onDelete={() => {
            setConfirming(false);
            props.onDelete();
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
    </>
  );
}
