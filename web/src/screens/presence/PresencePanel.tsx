/**
 * Presence (プレゼンス, §6-1): a group's agents (or everyone) with their status and phones, and
 * what can be done with each — chat, call (コールバック), transfer my call to them. The list is
 * read again whenever the feed says someone's presence changed.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useCustomStatuses } from '../desk/custom-statuses';
import { StatusLabel } from '../desk/status-label';
import { useMyCalls } from '../phone/my-calls';

export function PresencePanel(props: { onChat: (agentId: number) => void }) {
  const { t } = useWords();
  const { api } = useSession();
  const toast = useToast();
  const custom = useCustomStatuses();
  const changes = useTopic('presence').state.changes;
  const [groupId, setGroupId] = useState<number | null>(null);
  const groups = useLoad(() => api.call('get', '/api/v1/presence/groups'), [api]);
  const list = useLoad(
    () =>
      api.call('get', '/api/v1/presence', {
        query: { limit: '500', ...(groupId !== null && { groupId: String(groupId) }) },
      }),
    [api, groupId],
  );
  const myCall = useMyCalls().find((c) => c.state === 'up');
  // A burst of changes (a call answered: ringing, on call) is one read, not one per event.
  useEffect(() => {
    if (changes === 0) return;
    const timer = window.setTimeout(list.reload, 200);
    return () => window.clearTimeout(timer);
  }, [changes, list.reload]);

  async function act(what: () => Promise<unknown>) {
    try {
      await what();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="presence" data-testid="presence">
      <h3>{t('presence')}</h3>
      <select
        name="presenceGroup"
        value={groupId ?? ''}
        onChange={(e) =>
          setGroupId(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))
        }
      >
        <option value="">{t('everyone')}</option>
        {groups.data?.items.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      <ul class="presence-list">
        {list.data?.items.map((a) => (
          <li key={a.agentId} data-agent={a.agentId}>
            <span class="who">{a.extension !== null ? `${a.extension}(${a.name})` : a.name}</span>
            <StatusLabel status={a} custom={custom} />
            <span class="presence-actions">
              {a.actions.includes('chat') && (
                <button type="button" onClick={() => props.onChat(a.agentId)}>
                  {t('chat')}
                </button>
              )}
              {a.actions.includes('call') && a.extension !== null && (
                <button
                  type="button"
                  data-testid={`presence-call-${a.agentId}`}
                  onClick={() =>
                    void act(() =>
                      api.call('post', '/api/v1/calls', { body: { to: a.extension ?? '' } }),
                    )
                  }
                >
                  {t('dial')}
                </button>
              )}
              {a.actions.includes('transfer') && myCall !== undefined && a.extension !== null && (
                <button
                  type="button"
                  onClick={() =>
                    void act(() =>
                      api.call('post', '/api/v1/calls/{id}/transfer', {
                        path: { id: myCall.id },
                        body: { to: a.extension ?? '', mode: 'blind' },
                      }),
                    )
                  }
                >
                  {t('transfer')}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
