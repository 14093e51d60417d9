/**
 * The top of the screen (§2 ①): the agent's status with how long it has lasted, one tag per
 * group they are in (paused there only, or not), and the menu to change either (§4-2): 待機 or a
 * custom status, for all groups or for one. A supervisor's forced change shows at once: the
 * status comes from the feed's `me` topic.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../api/client';
import { useTopic } from '../feed/use-topic';
import { useWords } from '../i18n';
import { CampaignTags } from '../screens/campaign-agent/CampaignTags';
import { useCustomStatuses } from '../screens/desk/custom-statuses';
import { StatusLabel } from '../screens/desk/status-label';
import { useSession } from '../session';
import { useLoad } from '../ui/resource';
import { clockText, secondsSince, useNow } from '../ui/time';

type Choice = { status: 'available' } | { status: 'paused'; customStatusId: number | null };

export function StatusBar() {
  const { api, can } = useSession();
  const { t } = useWords();
  const me = useTopic('me').state;
  const custom = useCustomStatuses();
  const groups = useLoad(() => api.call('get', '/api/v1/me/groups'), [api, me.status?.since]);
  const now = useNow();
  const [target, setTarget] = useState<number | 'all'>('all');
  const [problem, setProblem] = useState<string | null>(null);

  async function choose(choice: Choice) {
    setProblem(null);
    const body =
      choice.status === 'available'
        ? { status: 'available' as const }
        : { status: 'paused' as const, customStatusId: choice.customStatusId };
    try {
      if (target === 'all') await api.call('put', '/api/v1/me/status', { body });
      else await api.call('put', '/api/v1/me/groups/{id}/status', { path: { id: target }, body });
      groups.reload();
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  const status = me.status ?? undefined;
  const mayChange = can(target === 'all' ? 'status.update' : 'status.group_update');
  return (
    <div class="status-bar" data-testid="status-bar">
      <span data-testid="my-status">
        <StatusLabel status={status} custom={custom} />
      </span>
      {status !== undefined && (
        <span class="duration" data-testid="my-status-duration">
          {clockText(secondsSince(status.since, now))}
        </span>
      )}
      <span class="group-tags">
        {groups.data?.items.map((g) => (
          <span
            key={g.id}
            class={`group-tag${g.membership.paused ? ' paused' : ''}`}
            data-testid={`group-tag-${g.id}`}
            style={{ color: g.fontColor, background: g.backgroundColor }}
            title={g.membership.paused ? t('status_paused') : t('status_available')}
          >
            {g.name}
            {g.membership.paused && ` (${t('status_paused')})`}
          </span>
        ))}
      </span>
      <CampaignTags />
      {mayChange && (
        <span class="status-menu">
          <select
            aria-label={t('statusFor')}
            name="statusTarget"
            value={String(target)}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setTarget(value === 'all' ? 'all' : Number(value));
            }}
          >
            <option value="all">{t('allGroups')}</option>
            {groups.data?.items.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            data-testid="choose-available"
            onClick={() => void choose({ status: 'available' })}
          >
            {t('status_available')}
          </button>
          <button
            type="button"
            data-testid="choose-paused"
            onClick={() => void choose({ status: 'paused', customStatusId: null })}
          >
            {t('status_paused')}
          </button>
          {custom.map((c) => (
            <button
              type="button"
              key={c.id}
              data-testid={`choose-status-${c.id}`}
              style={{ color: c.fontColor, background: c.backgroundColor }}
              onClick={() => void choose({ status: 'paused', customStatusId: c.id })}
            >
              {c.name}
            </button>
          ))}
        </span>
      )}
      {problem !== null && (
        <span role="alert" class="problem">
          {problem}
        </span>
      )}
    </div>
  );
}
