/**
 * A phone's own transfer button (SIP REFER), taken by the same transfers as `#8` / `#9`.
 *
 * Our phones' endpoints carry `PJSIP_TRANSFER_HANDLING()=ari-only` where the Asterisk supports
 * it (platform/asterisk/transfer-handling.ts; elsewhere REFER is refused with a 603 and the call
 * stays up). Asterisk then answers the REFER 202 and raises `ChannelTransfer`, doing nothing
 * else; what it means is ours to do, and the phone hears how it went from the NOTIFYs we have
 * Asterisk send on the REFER's channel (`transfer_progress`, one state each):
 * - `Refer-To: <sip:202@…>` — a blind transfer to 202, as `#8 202 #`: `100 Trying` once it has
 *   started, `200 OK` just before the phone's leg is let go (then Asterisk hangs it up).
 * - `Refer-To` with `Replaces` — the phone holds the customer on one call and the recipient on
 *   another (its own consultation): the two are connected, as a consultation of `#9` completed,
 *   and the phone's two legs let go after its `200 OK`. The customer's call is the one kept
 *   (its history, recording and agents go on); the phone's other call ends.
 * - A transfer refused (an unknown number, oneself, a call being transferred already, a call
 *   of more than two parties …) gets `603 Decline`, a recipient who cannot take it `503`; the
 *   call stays as it was.
 */
import type { AriEvent, TransferProgressState } from '../platform/asterisk/ari-types.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import { HttpError, unprocessable } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import type { CallEngine } from '../calls/engine.js';
import type { Call, Leg } from '../calls/model.js';
import type { TransferHooks, Transfers } from './service.js';

export interface ReferDeps {
  ari: AriPort;
  engine: Pick<CallEngine, 'list'>;
  transfers: Pick<Transfers, 'start' | 'startConsulted'>;
  log: Logger;
}

type ChannelTransfer = AriEvent & { type: 'ChannelTransfer' };

/** What the phone is told of a transfer refused before it began. */
function refusal(err: unknown): TransferProgressState {
  return err instanceof HttpError && err.code === 'recipient_unavailable'
    ? 'channel_unavailable'
    : 'channel_declined';
}

export function createReferHandling(deps: ReferDeps): void {
  const { ari, engine, transfers, log } = deps;
  /** The REFERs being handled, by the channel they came on (one at a time per channel). */
  const open = new Set<string>();
  /**
   * The REFERs seen lately (channel and instant): Asterisk raises each twice, for the
   * application and for its endpoint subscription, and the port may not have told them apart.
   */
  const seen = new Set<string>();

  /** The live leg on `channelId`, with its call. */
  function legOn(channelId: string): { call: Call; leg: Leg } | undefined {
    for (const call of engine.list()) {
      const leg = call.legs.get(channelId);
      if (leg !== undefined && leg.state !== 'gone') return { call, leg };
    }
    return undefined;
  }

  function tell(channelId: string, state: TransferProgressState): Promise<void> {
    return ari.channels
      .transferProgress(channelId, state)
      .catch((err: unknown) => log.debug({ err, channelId, state }, 'transfer progress not told'));
  }

  /** The phone's NOTIFYs for a transfer that began: one final state, after the 100 Trying. */
  function progressOf(channelId: string): TransferHooks & { trying: () => void } {
    let trying: Promise<void> = Promise.resolve();
    let told = false;
    const final = (state: TransferProgressState): Promise<void> => {
      if (told) return Promise.resolve();
      told = true;
      return trying.then(() => tell(channelId, state));
    };
    return {
      trying: () => {
        trying = tell(channelId, 'channel_progress');
      },
      releasing: () => final('channel_answered'),
      ended: (transfer) => {
        open.delete(channelId);
        void final(transfer.status === 'completed' ? 'channel_answered' : 'channel_unavailable');
      },
    };
  }

  function referred(event: ChannelTransfer): void {
    const channelId = event.referred_by.source_channel.id;
    const key = `${channelId}|${event.timestamp}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > 64) seen.delete(seen.values().next().value as string);
    // Asterisk raises it again, without a state, when the phone hangs up with its REFER open.
    if (open.has(channelId)) return;
    const to = event.refer_to.requested_destination.destination ?? '';
    const replaced = event.refer_to.destination_channel;
    const hooks = progressOf(channelId);
    open.add(channelId);
    try {
      const source = legOn(channelId);
      if (source === undefined) throw unprocessable('not_transferable', 'Not a call of ours');
      if (replaced === undefined) {
        transfers.start(source.call, source.leg, to, 'blind', hooks);
      } else {
        const other = legOn(replaced.id);
        if (other === undefined)
          throw unprocessable('not_transferable', 'The call to be replaced is not ours');
        // The customer's call is kept: an internal call is the consultation, when the other is not.
        const [keep, end] =
          source.call.direction === 'internal' && other.call.direction !== 'internal'
            ? [other, source]
            : [source, other];
        transfers.startConsulted(keep.call, keep.leg, end, to, hooks);
      }
      hooks.trying();
      log.info({ channelId, to, attended: replaced !== undefined }, 'transfer asked by a phone');
    } catch (err) {
      open.delete(channelId);
      const state = refusal(err);
      log.info(
        { channelId, to, reason: err instanceof HttpError ? err.code : err },
        'REFER refused',
      );
      void tell(channelId, state);
    }
  }

  ari.onEvent((event) => {
    // A state is our own progress, told back.
    if (event.type === 'ChannelTransfer' && event.state === undefined) referred(event);
  });
}
