/**
 * The search parts the autodial list and the reservations share (§10-9, §9-2): the 結果 checkbox
 * list (system results, then the chosen campaign's own) and the ステータス icon of an entry.
 */
import type { ResultChoice, EntryStatus } from './results';
import { useCampaignWords } from './words';

export function ResultChecks(props: {
  choices: ResultChoice[];
  checked: string[];
  onChange: (checked: string[]) => void;
}) {
  const w = useCampaignWords();
  return (
    <fieldset class="result-checks" data-testid="result-checks">
      <legend>{w('result')}</legend>
      {props.choices.map((c) => (
        <label key={c.key}>
          <input
            type="checkbox"
            name={`result.${c.key}`}
            checked={props.checked.includes(c.key)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked
                  ? [...props.checked, c.key]
                  : props.checked.filter((k) => k !== c.key),
              )
            }
          />
          {c.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The icon of §10-9: a coloured mark with the status's name for the eye and the reader. */
export function StatusIcon(props: { status: EntryStatus }) {
  const w = useCampaignWords();
  const label = w(`estatus_${props.status}`);
  return (
    <span
      class={`entry-status entry-status-${props.status}`}
      data-status={props.status}
      title={label}
      role="img"
      aria-label={label}
    />
  );
}
