/**
 * The addresses one postal code covers (§11-8 自動入力), when there are several: the agent picks
 * the one meant, and its parts fill the format's mapped fields.
 */
import type { Answer } from '../../api/client';
import { useCrmWords } from './words';

export type PostalMatch = Answer<
  '/api/v1/business-formats/{id}/postal-fill',
  'get'
>['matches'][number];

export function PostalFill(props: {
  matches: PostalMatch[];
  onChoose: (fields: Record<string, string>) => void;
  onClose: () => void;
}) {
  const w = useCrmWords();
  return (
    <div class="card postal-choices" role="dialog" aria-label={w('postalChoose')}>
      <p>{w('postalChoose')}</p>
      <ul>
        {props.matches.map((m) => {
          const text = `${m.address.prefecture}${m.address.city}${m.address.street}`;
          return (
            <li key={text}>
              <button type="button" onClick={() => props.onChoose(m.fields)}>
                {text}
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={props.onClose}>
        {w('close')}
      </button>
    </div>
  );
}
