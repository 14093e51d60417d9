/**
 * The agent's campaign calls, on whichever screen they are: the preview card for a preview
 * offered to me and the result entry after a campaign call of mine, from the `campaigns` topic.
 * Mounted once in the shell. A supervisor sees every agent's events on that topic; only mine
 * are shown here.
 */
import { useState } from 'preact/hooks';
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';
import { useMyCampaigns } from './CampaignTags';
import { PreviewCard } from './PreviewCard';
import { ResultEntry } from './ResultEntry';

export function CampaignCalls() {
  const { me } = useSession();
  const { previews, results } = useTopic('campaigns').state;
  const names = new Map((useMyCampaigns().data?.items ?? []).map((c) => [c.id, c.name]));
  // The cards answered here: a preview skipped or scheduled, a result saved or closed.
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const finish = (callId: string) => setDone((d) => new Set(d).add(callId));
  const mine = (agentId: number | undefined) => agentId === undefined || agentId === me.id;

  const offers = [...previews.values()].filter((o) => o.agentId === me.id && !done.has(o.callId));
  const asked = [...results.values()].filter((r) => mine(r.agentId) && !done.has(r.callId));
  if (offers.length === 0 && asked.length === 0) return null;
  return (
    <div class="campaign-calls" data-testid="campaign-calls">
      {offers.map((offer) => (
        <PreviewCard
          key={offer.callId}
          offer={offer}
          campaignName={names.get(offer.campaignId)}
          onDone={() => finish(offer.callId)}
        />
      ))}
      {asked.map((request) => (
        <ResultEntry
          key={request.callId}
          request={request}
          campaignName={names.get(request.campaignId)}
          onDone={() => finish(request.callId)}
        />
      ))}
    </div>
  );
}
