/**
 * The result entry after a campaign call (§10-8, the web's side of 結果をコマンドで入力): when a
 * campaign call of mine ends (`result_requested`) its choices are offered — the campaign's
 * results, 発信待機中 and 停止. 発信待機中 is a recall and needs its time, as DTMF `0` asks for one:
 * 10分後 / 1時間後 / 1日後 or a date and time; choosing a time chooses 発信待機中.
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
type Recall = (typeof RECALLS)[number]['key'] | 'at';

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
  const [recall, setRecall] = useState<Recall | null>(null);
  const [at, setAt] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** The recall's time as an instant, counted from the moment the form is sent; null if none. */
  function reservedAt(): string | null {
    if (recall === null) return null;
    if (recall === 'at') {
      // datetime-local is this browser's wall clock; Date reads it so.
      const when = at === '' ? Number.NaN : new Date(at).getTime();
      return Number.isNaN(when) ? null : new Date(when).toISOString();
    }
    const later = RECALLS.find((r) => r.key === recall);
    return later === undefined ? null : new Date(Date.now() + later.ms).toISOString();
  }

  function chooseRecall(chosen: Recall) {
    setRecall(chosen);
    setResult(WAITING);
  }

  async function submit(e: Event) {
    e.preventDefault();
    setProblem(null);
    if (result === null) return setProblem(w('chooseResult'));
    const when = result === WAITING ? reservedAt() : null;
    if (result === WAITING && when === null) return setProblem(w('chooseTime'));
    setBusy(true);
    try {
      await api.call('put', '/api/v1/campaigns/calls/{callId}/result', {
        path: { callId: request.callId },
        body: { result, ...(when !== null && { reservedAt: when }) },
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
        <dd>{request.campaignName ?? props.campaignName ?? `#${request.campaignId}`}</dd>
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
                onChange={() => {
                  setResult(c.result);
                  if (c.result !== WAITING) setRecall(null);
                }}
              />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{w('recallTime')}</legend>
        <div class="result-choices">
          {RECALLS.map((r) => (
            <label key={r.key}>
              <input
                type="radio"
                name="recall"
                value={r.key}
                checked={recall === r.key}
                onChange={() => chooseRecall(r.key)}
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
              onChange={() => chooseRecall('at')}
            />
            {w('atTime')}
          </label>
          <input
            type="datetime-local"
            name="recallAt"
            value={at}
            onInput={(e) => {
              setAt(e.currentTarget.value);
              chooseRecall('at');
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
