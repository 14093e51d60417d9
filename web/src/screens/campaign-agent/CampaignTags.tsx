/**
 * The campaign status tags (§2 ①, §10-8 色): one tag per campaign I am a member of, in its
 * colours, struck through while I am paused (停止) in it. Clicking a tag pauses me in that
 * campaign only, or lets me take part again (キャンペーンステータス更新).
 */
import { useState } from 'preact/hooks';
import { problemOf, type ItemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useCampaignAgentWords } from './words';
import './campaign-agent.css';

export type MyCampaign = ItemOf<'/api/v1/me/campaigns'>;

/** My campaigns (GET /me/campaigns), read again when my status changes. */
export function useMyCampaigns() {
  const { api } = useSession();
  const since = useTopic('me').state.status?.since;
  return useLoad(() => api.call('get', '/api/v1/me/campaigns'), [api, since]);
}

export function CampaignTags() {
  const { api, can } = useSession();
  const w = useCampaignAgentWords();
  const toast = useToast();
  const campaigns = useMyCampaigns();
  const [busy, setBusy] = useState<number | null>(null);
  const mayChange = can('status.campaign_update');

  async function toggle(campaign: MyCampaign) {
    setBusy(campaign.id);
    try {
      await api.call('put', '/api/v1/me/campaigns/{id}/pause', {
        path: { id: campaign.id },
        body: { paused: !campaign.paused },
      });
      campaigns.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    } finally {
      setBusy(null);
    }
  }

  const items = campaigns.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <span class="campaign-tags" data-testid="campaign-tags">
      {items.map((c) => (
        <button
          type="button"
          key={c.id}
          class={`group-tag campaign-tag${c.paused ? ' paused' : ''}`}
          data-testid={`campaign-tag-${c.id}`}
          data-paused={String(c.paused)}
          style={{ color: c.textColor, background: c.backgroundColor }}
          disabled={!mayChange || busy === c.id}
          title={mayChange ? w(c.paused ? 'resumeCampaign' : 'pauseCampaign') : undefined}
          onClick={() => void toggle(c)}
        >
          {c.name}
          {c.paused && ` (${w('campaignPaused')})`}
        </button>
      ))}
    </span>
  );
}
