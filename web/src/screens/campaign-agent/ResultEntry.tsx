/**
 * The result entry after a campaign call (§10-8, the web's side of 結果をコマンドで入力): when a
 * campaign call of mine ends (`result_requested`) the campaign's results are offered, and a
 * recall time — 10分後 / 1時間後 / 1日後 or a date and time, as DTMF `0` asks for one. A recall
 * with no result chosen is 発信待機中 at that time.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import type { ResultRequest } from '../../feed/campaigns';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { useCampaignAgentWords } from './words';

const MINUTE = 60_000;
const RECALLS = [
  { key: '10m', word: 'in10m', ms: 10 * MINUTE },
  { key: '1h', word: 'in1h', ms: 60 * MINUTE },
  { key: '1d', word: 'in1d', ms: 24 * 60 * MINUTE },
] as const;
type Recall = 'none' | (typeof RECALLS)[number]['key'] | 'at';

/** The system result of an entry to be dialled again (発信待機中). */
const WAITING = 'waiting';

export function ResultEntry(props: {
  request: ResultRequest;
  campaignName: string | undefined;
  onDone: () => void;
}) {
  const { api } = useSession();
  const w = useCampaignAgentWords();
  const toast = useToast();
  const { request } = props;
  const [result, setResult] = useState<string | null>(null);
  const [recall, setRecall] = useState<Recall>('none');
  const [at, setAt] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** The reservation as an instant: counted from the moment the form is sent. */
  function reservedAt(): string | undefined | null {
    if (recall === 'none') return undefined;
    if (recall === 'at') {
      // datetime-local is this browser's wall clock; Date reads it so.
      const when = at === '' ? Number.NaN : new Date(at).getTime();
      return Number.isNaN(when) ? null : new Date(when).toISOString();
    }
    const later = RECALLS.find((r) => r.key === recall);
    return later === undefined ? undefined : new Date(Date.now() + later.ms).toISOString();
  }

  async function submit(e: Event) {
    e.preventDefault();
    setProblem(null);
    const when = reservedAt();
    if (when === null) return setProblem(w('chooseTime'));
    const chosen = result ?? (when !== undefined ? WAITING : null);
    if (chosen === null) return setProblem(w('chooseResult'));
    setBusy(true);
    try {
      await api.call('put', '/api/v1/campaigns/calls/{callId}/result', {
        path: { callId: request.callId },
        body: { result: chosen, ...(when !== undefined && { reservedAt: when }) },
      });
      toast.done(w('resultSaved'));
      props.onDone();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="popup card campaign-card result-entry"
      aria-label={w('resultEntry')}
      data-testid="result-entry"
      data-call={request.callId}
      onSubmit={(e) => void submit(e)}
    >
      <h3>{w('resultEntry')}</h3>
      <dl>
        <dt>{w('customer')}</dt>
        <dd data-testid="result-customer">{request.customerName}</dd>
        <dt>{w('phone')}</dt>
        <dd>{request.phone}</dd>
        <dt>{w('campaign')}</dt>
        <dd>{props.campaignName ?? `#${request.campaignId}`}</dd>
      </dl>
      <fieldset>
        <legend>{w('result')}</legend>
        <div class="result-choices">
          {request.choices.map((c) => (
            <label key={c.result} class={result === c.result ? 'chosen' : ''}>
              <input
                type="radio"
                name="result"
                value={c.result}
                checked={result === c.result}
                onChange={() => setResult(c.result)}
              />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{w('recallTime')}</legend>
        <div class="result-choices">
          <label>
            <input
              type="radio"
              name="recall"
              value="none"
              checked={recall === 'none'}
              onChange={() => setRecall('none')}
            />
            {w('noRecall')}
          </label>
          {RECALLS.map((r) => (
            <label key={r.key}>
              <input
                type="radio"
                name="recall"
                value={r.key}
                checked={recall === r.key}
                onChange={() => setRecall(r.key)}
              />
              {w(r.word)}
            </label>
          ))}
          <label>
            <input
              type="radio"
              name="recall"
              value="at"
              checked={recall === 'at'}
              onChange={() => setRecall('at')}
            />
            {w('atTime')}
          </label>
          <input
            type="datetime-local"
            name="recallAt"
            value={at}
            onInput={(e) => {
              setAt(e.currentTarget.value);
              setRecall('at');
            }}
          />
        </div>
      </fieldset>
      {problem !== null && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      <div class="campaign-actions">
        <button type="submit" class="primary" data-testid="result-submit" disabled={busy}>
          {w('submit')}
        </button>
        <button type="button" onClick={props.onDone}>
          {w('close')}
        </button>
      </div>
    </form>
  );
}
