/**
 * The preview card (§10-8 プレビューコール): the dialer rang me with an entry (`preview_offered`);
 * the card shows whom it would call — customer, number, campaign — with 発信 (ring the customer
 * with the campaign's number), スキップ (hand the entry back) and 予約 (10分後 / 1時間後 / 1日後:
 * skip now, dial later). It closes when the attempt ends (`attempt_ended` for its call).
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import type { PreviewOffer } from '../../feed/campaigns';
import { useSession } from '../../session';
import { LATER } from './RecallGadget';
import { useCampaignAgentWords } from './words';

export function PreviewCard(props: {
  offer: PreviewOffer;
  campaignName: string | undefined;
  onDone: () => void;
}) {
  const { api } = useSession();
  const w = useCampaignAgentWords();
  const { offer } = props;
  const [dialed, setDialed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function choose(run: () => Promise<unknown>, after: () => void) {
    setBusy(true);
    setProblem(null);
    try {
      await run();
      after();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  const path = { callId: offer.callId };
  return (
    <div
      class="popup card campaign-card"
      role="dialog"
      aria-label={w('previewCall')}
      data-testid="preview-card"
      data-call={offer.callId}
    >
      <h3>{w('previewCall')}</h3>
      <dl>
        <dt>{w('customer')}</dt>
        <dd data-testid="preview-customer">
          {offer.customerId !== null ? (
            <a href={`#/crm/customers/${offer.customerId}`}>{offer.customerName}</a>
          ) : (
            offer.customerName
          )}
        </dd>
        <dt>{w('phone')}</dt>
        <dd data-testid="preview-phone">{offer.phone}</dd>
        <dt>{w('campaign')}</dt>
        <dd data-testid="preview-campaign">{props.campaignName ?? `#${offer.campaignId}`}</dd>
      </dl>
      {dialed ? (
        <p class="campaign-note" data-testid="preview-dialed">
          {w('dialed')}
        </p>
      ) : (
        <div class="campaign-actions">
          <button
            type="button"
            class="primary"
            data-testid="preview-dial"
            disabled={busy}
            onClick={() =>
              void choose(
                () =>
                  api.call('post', '/api/v1/campaigns/previews/{callId}/{choice}', {
                    path: { ...path, choice: 'dial' },
                  }),
                () => setDialed(true),
              )
            }
          >
            {w('dial')}
          </button>
          <button
            type="button"
            data-testid="preview-skip"
            disabled={busy}
            onClick={() =>
              void choose(
                () =>
                  api.call('post', '/api/v1/campaigns/previews/{callId}/{choice}', {
                    path: { ...path, choice: 'skip' },
                  }),
                props.onDone,
              )
            }
          >
            {w('skip')}
          </button>
          <span class="campaign-later" data-testid="preview-schedule">
            {w('schedule')}:
            {LATER.map((later) => (
              <button
                type="button"
                key={later.in}
                data-later={later.in}
                disabled={busy}
                onClick={() =>
                  void choose(
                    () =>
                      api.call('post', '/api/v1/campaigns/previews/{callId}/schedule', {
                        path,
                        body: { in: later.in },
                      }),
                    props.onDone,
                  )
                }
              >
                {w(later.word)}
              </button>
            ))}
          </span>
        </div>
      )}
      {problem !== null && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
    </div>
  );
}
