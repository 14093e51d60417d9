/**
 * The sections of an agent's detail (§11-1) below the form: the phone numbers they may call out
 * with and the chosen one (発信者番号), the change history and logins, and their live sessions
 * with a forced logout (強制ログアウト) after a confirmation.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type ItemOf } from '../api/client';
import { useWords, type Words } from '../i18n';
import { ja } from '../i18n/ja';
import { useDateTime } from '../ui/time';
import { useSession } from '../session';
import { useLoad } from '../ui/resource';
import { useToast } from '../ui/toast';
import { textOf, type SectionProps } from './descriptor';
import { useAdminWords, type Say } from './words';

export function AgentPhoneNumbers(props: SectionProps) {
  const { t } = useWords();
  const say = useAdminWords();
  const { api, can } = useSession();
  const toast = useToast();
  const all = useLoad(
    () => api.call('get', '/api/v1/phone-numbers', { query: { limit: '500' } }),
    [api],
  );
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [callerId, setCallerId] = useState<number | null>(null);
  useEffect(() => {
    void api
      .call('get', '/api/v1/agents/{id}/phone-numbers', { path: { id: props.id } })
      .then((answer) => {
        setChosen(new Set(answer.options.map((n) => n.id)));
        setCallerId(answer.current?.id ?? null);
      });
  }, [api, props.id]);
  const numbers = all.data?.items ?? [];

  async function save() {
    try {
      const answer = await api.call('put', '/api/v1/agents/{id}/phone-numbers', {
        path: { id: props.id },
        body: { phoneNumberIds: [...chosen], callerId },
      });
      setChosen(new Set(answer.options.map((n) => n.id)));
      setCallerId(answer.current?.id ?? null);
      toast.done(t('saved'));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <fieldset
      class="agent-numbers"
      data-testid="agent-numbers"
      disabled={!can('agents.update')}
      style={{ border: 0, padding: 0, margin: 0 }}
    >
      <p class="notice">{say.w('callerIdsHint')}</p>
      <table class="grid">
        <thead>
          <tr>
            <th />
            <th>{t('number')}</th>
            <th>{t('name')}</th>
          </tr>
        </thead>
        <tbody>
          {numbers.map((n) => (
            <tr key={n.id}>
              <td>
                <input
                  type="checkbox"
                  name={`number.${n.number}`}
                  checked={chosen.has(n.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.currentTarget.checked) next.add(n.id);
                    else next.delete(n.id);
                    setChosen(next);
                    if (!next.has(callerId ?? 0)) setCallerId(null);
                  }}
                />
              </td>
              <td>{n.number}</td>
              <td>{n.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        {t('callerId')}{' '}
        <select
          name="callerId"
          value={callerId === null ? '' : String(callerId)}
          onChange={(e) =>
            setCallerId(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))
          }
        >
          <option value="">{t('outboundForbidden')}</option>
          {numbers
            .filter((n) => chosen.has(n.id))
            .map((n) => (
              <option key={n.id} value={String(n.id)}>
                {n.label}
              </option>
            ))}
        </select>
      </label>{' '}
      <button type="button" data-testid="save-numbers" onClick={() => void save()}>
        {t('save')}
      </button>
    </fieldset>
  );
}

const fieldLabel = (t: (k: keyof Words) => string, say: Say, field: string): string =>
  field === 'pin' ? say.w('pin') : field in ja ? t(field as keyof Words) : field;

/** The history keeps values as text: enumerations and yes/no are shown by name. */
function historyValue(
  t: (k: keyof Words) => string,
  say: Say,
  field: string,
  value: string | null,
) {
  if (field === 'language' || field === 'popupWindow') return say.e(field, value);
  if (value === 'true' || value === 'false') return t(value === 'true' ? 'yes' : 'no');
  return textOf(value);
}

function useWhen() {
  const format = useDateTime();
  return (iso: string) => format.format(new Date(iso));
}

/** The change history (変更履歴, newest first) and the logins, read again after each save. */
export function AgentHistory(props: SectionProps) {
  const { t } = useWords();
  const say = useAdminWords();
  const { api } = useSession();
  const when = useWhen();
  const history = useLoad(
    () =>
      api.call('get', '/api/v1/agents/{id}/history', {
        path: { id: props.id },
        query: { limit: '50' },
      }),
    [api, props.id, props.revision],
  );
  const logins = useLoad(
    () =>
      api.call('get', '/api/v1/agents/{id}/auth-events', {
        path: { id: props.id },
        query: { limit: '20' },
      }),
    [api, props.id, props.revision],
  );
  return (
    <div class="agent-history">
      <table class="grid" data-testid="agent-history">
        <thead>
          <tr>
            <th>{say.w('at')}</th>
            <th>{say.w('by')}</th>
            <th>{say.w('field')}</th>
            <th>{say.w('oldValue')}</th>
            <th>{say.w('newValue')}</th>
          </tr>
        </thead>
        <tbody>
          {history.data?.items.map((c) => (
            <tr key={c.id} data-field={c.field}>
              <td>{when(c.at)}</td>
              <td>{c.by}</td>
              <td>{fieldLabel(t, say, c.field)}</td>
              <td>{historyValue(t, say, c.field, c.oldValue)}</td>
              <td>{historyValue(t, say, c.field, c.newValue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{say.w('authEvents')}</h4>
      <table class="grid" data-testid="agent-logins">
        <thead>
          <tr>
            <th>{say.w('at')}</th>
            <th>{say.w('event')}</th>
            <th>{say.w('ip')}</th>
            <th>{say.w('by')}</th>
          </tr>
        </thead>
        <tbody>
          {logins.data?.items.map((e: ItemOf<'/api/v1/agents/{id}/auth-events'>) => (
            <tr key={e.id} data-kind={e.kind}>
              <td>{when(e.at)}</td>
              <td>{say.e('authEvent', e.kind)}</td>
              <td>{textOf(e.ip)}</td>
              <td>{textOf(e.actor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The agent's live sessions, and the forced logout that ends them all. */
export function AgentSessions(props: SectionProps) {
  const { t } = useWords();
  const say = useAdminWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const sessions = useLoad(
    () => api.call('get', '/api/v1/agents/{id}/sessions', { path: { id: props.id } }),
    [api, props.id],
  );
  const name = textOf(props.row.name);

  async function logOut() {
    setConfirming(false);
    try {
      const answer = await api.call('post', '/api/v1/agents/{id}/logout', {
        path: { id: props.id },
      });
      toast.done(say.w('loggedOut', { count: answer.revoked }));
    } catch (err) {
      toast.problem(problemOf(err));
    }
    sessions.reload();
  }

  return (
    <div class="agent-sessions">
      <span data-testid="session-count">
        {say.w('sessions', { count: sessions.data?.items.length ?? 0 })}
      </span>{' '}
      {can('sessions.force_logout') && (
        <button
          type="button"
          class="danger"
          data-testid="force-logout"
          onClick={() => setConfirming(true)}
        >
          {say.w('forceLogout')}
        </button>
      )}
      {confirming && (
        <div class="confirm card" role="alertdialog" data-testid="confirm">
          <p>{say.w('confirmForceLogout', { name })}</p>
          <button
            type="button"
            class="danger"
            data-testid="confirm-yes"
            onClick={() => void logOut()}
          >
            {say.w('forceLogout')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
        </div>
      )}
    </div>
  );
}
