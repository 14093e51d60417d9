/**
 * 自動発信 (MOT autocall, A.23) on the operator's claim screen: start with mode 通常 or 再架電
 * (再架電機能: only the customers flagged 再架電), stop, and — between calls — 次へ, the one-click
 * dial (how 切断時のオートコール = しない works; with the other settings it dials the next one
 * now). The status line follows the `autocall` feed: dialling whom, answered, how the call ended
 * and who is next, why the session stopped.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import type { AutocallEvent, AutocallSession } from '../../feed/autocall';
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useCallListWords, type CallListTranslate } from './words';

type Mode = 'all' | 'recall';

function statusLine(
  w: CallListTranslate,
  session: AutocallSession | undefined,
  last: AutocallEvent | null,
): string {
  if (last !== null) {
    switch (last.name) {
      case 'autocall_dialing':
        return w('autocallDialing', { company: last.customer.company, phone: last.customer.phone });
      case 'autocall_answered':
        return w('autocallAnswered', { company: last.customer.company });
      case 'autocall_ended':
        return w(last.next === null ? 'autocallEndedLast' : 'autocallEnded', {
          company: last.customer.company,
          result: w(`result_${last.result}`),
          next: last.next?.company ?? '',
        });
      case 'autocall_stopped':
        return w('autocallStopped', { reason: w(`stop_${last.reason}`) });
    }
  }
  if (session === undefined) return '';
  if (!session.running)
    return session.stoppedReason === null
      ? w('autocallIdle')
      : w('autocallStopped', { reason: w(`stop_${session.stoppedReason}`) });
  return session.current === null
    ? w('autocallWaiting', { next: session.next?.company ?? '' })
    : w('autocallDialing', { company: session.current.company, phone: session.current.phone });
}

/** `onChange`: the held rows may have a new last call (their results are read again). */
export function AutocallPanel(props: { onChange: () => void }) {
  const w = useCallListWords();
  const { api } = useSession();
  const toast = useToast();
  const feed = useTopic('autocall').state;
  const session = useLoad(
    () => api.call('get', '/api/v1/call-lists/autocall'),
    [api, feed.changes],
  );
  const [mode, setMode] = useState<Mode>('all');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (feed.changes > 0) props.onChange();
  }, [feed.changes]);

  async function act(run: () => Promise<unknown>) {
    setBusy(true);
    try {
      await run();
      session.reload();
      props.onChange();
    } catch (err) {
      toast.problem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  const state = session.data;
  const running = state?.running === true;
  const waiting = running && state.stage === 'waiting';
  return (
    <div class="autocall" data-testid="autocall">
      <h3>{w('autocall')}</h3>
      <div class="toolbar">
        <label>
          {w('autocallMode')}
          <select
            name="autocallMode"
            value={running ? (state.mode ?? mode) : mode}
            disabled={running}
            onChange={(e) => setMode(e.currentTarget.value as Mode)}
          >
            <option value="all">{w('mode_all')}</option>
            <option value="recall">{w('mode_recall')}</option>
          </select>
        </label>
        {running ? (
          <button
            type="button"
            data-testid="autocall-stop"
            disabled={busy}
            onClick={() => void act(() => api.call('delete', '/api/v1/call-lists/autocall'))}
          >
            {w('autocallStop')}
          </button>
        ) : (
          <button
            type="button"
            class="primary"
            data-testid="autocall-start"
            disabled={busy}
            onClick={() =>
              void act(() => api.call('post', '/api/v1/call-lists/autocall', { body: { mode } }))
            }
          >
            {w('autocallStart')}
          </button>
        )}
        {waiting && (
          <button
            type="button"
            class="primary"
            data-testid="autocall-next"
            disabled={busy}
            onClick={() => void act(() => api.call('post', '/api/v1/call-lists/autocall/next'))}
          >
            {w('autocallNext')}
          </button>
        )}
        {state !== undefined && (
          <small data-testid="autocall-setting">
            {w('autocallOnHangup')}: {w(`autocall_${state.setting}`)}
          </small>
        )}
      </div>
      <p class="autocall-status" data-testid="autocall-status" aria-live="polite">
        {statusLine(w, state, feed.last)}
      </p>
      {running && (
        <p class="autocall-counts" data-testid="autocall-counts">
          {w('autocallCounts', {
            dialled: state.counts.dialled,
            answered: state.counts.answered,
            noAnswer: state.counts.noAnswer,
            remaining: state.counts.remaining,
          })}
        </p>
      )}
    </div>
  );
}
