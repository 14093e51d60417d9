/** Previous / next over a paged list, with "1–50 / 120件". */
import { useWords } from '../i18n';

export function Pager(props: {
  offset: number;
  pageSize: number;
  total: number;
  onOffset: (offset: number) => void;
}) {
  const { t } = useWords();
  const { offset, pageSize, total } = props;
  if (total === 0) return null;
  return (
    <div class="pager">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => props.onOffset(Math.max(0, offset - pageSize))}
      >
        {t('previous')}
      </button>
      <span>
        {t('pageOf', { from: offset + 1, to: Math.min(offset + pageSize, total), total })}
      </span>
      <button
        type="button"
        disabled={offset + pageSize >= total}
        onClick={() => props.onOffset(offset + pageSize)}
      >
        {t('next')}
      </button>
    </div>
  );
}
