/** A list of dates (YYYY-MM-DD: an IVR's 指定日, a holiday calendar's days): added, removed, sorted. */
import { useState } from 'preact/hooks';
import { useWords } from '../../i18n';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function DateList(props: { dates: string[]; onChange: (dates: string[]) => void }) {
  const { t } = useWords();
  const [adding, setAdding] = useState('');
  function add() {
    if (!DATE.test(adding) || props.dates.includes(adding)) return;
    props.onChange([...props.dates, adding].sort());
    setAdding('');
  }
  return (
    <div class="date-list">
      <ul class="ivr-dates" data-testid="dates">
        {props.dates.map((date) => (
          <li key={date} data-date={date}>
            {date}{' '}
            <button
              type="button"
              data-testid={`remove-date-${date}`}
              onClick={() => props.onChange(props.dates.filter((d) => d !== date))}
            >
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <input
        type="date"
        name="newDate"
        value={adding}
        onInput={(e) => setAdding(e.currentTarget.value)}
      />{' '}
      <button type="button" data-testid="add-date" onClick={add}>
        {t('addDate')}
      </button>
    </div>
  );
}
