/**
 * The agent's pop-ups and notifications (§11-1, §12-3): when a call rings them, the DID's incoming
 * URL opens (着信ポップアップ) and a desktop notification shows (外線 / 内線 chosen apart); when
 * they answer, the DID's answer URL opens (応答ポップアップ). "全て同じタブで開く" reuses one
 * named tab, so a busy agent does not collect a tab per call.
 *
 * The browser decides whether a page may open a tab without a click: the site must be allowed
 * pop-ups (the in-page pop-up keeps the link for when it is not).
 */
import { useEffect, useRef } from 'preact/hooks';
import type { LiveCall } from '../../feed/topics';
import { useWords } from '../../i18n';
import { useSession, type Me } from '../../session';
import { myLeg } from './my-calls';

/** The one tab every pop-up opens in, with 全て同じタブで開く. */
const POPUP_TAB = 'callcenter-popup';

type Moment = 'rang' | 'answered';

/** What to do for a call that has just rung me or that I have just answered. */
export function popupActions(
  call: LiveCall,
  moment: Moment,
  me: Pick<
    Me,
    | 'popupOnIncoming'
    | 'popupOnAnswer'
    | 'popupWindow'
    | 'notifyExternalCalls'
    | 'notifyInternalCalls'
  >,
): { open: { url: string; target: string } | null; notify: boolean } {
  const url = moment === 'rang' ? call.popup.incomingUrl : call.popup.answerUrl;
  const wanted = moment === 'rang' ? me.popupOnIncoming : me.popupOnAnswer;
  const target = me.popupWindow === 'same_tab' ? POPUP_TAB : '_blank';
  const notify =
    moment === 'rang' &&
    (call.direction === 'internal' ? me.notifyInternalCalls : me.notifyExternalCalls);
  return { open: wanted && url !== null ? { url, target } : null, notify };
}

/** Acts on the calls ringing me and answered by me, once per call and moment. */
export function useCallPopups(calls: LiveCall[]): void {
  const { me } = useSession();
  const { t } = useWords();
  // Per call, the moments already acted on; calls that have ended are forgotten.
  const done = useRef(new Map<string, Set<Moment>>()).current;

  useEffect(() => {
    const live = new Set(calls.map((c) => c.id));
    for (const id of done.keys()) if (!live.has(id)) done.delete(id);
    for (const call of calls) {
      const leg = myLeg(call, me.id);
      if (leg === undefined || leg.role !== 'callee' || call.direction === 'outbound') continue;
      const moment: Moment = leg.state === 'up' ? 'answered' : 'rang';
      const seen = done.get(call.id) ?? new Set<Moment>();
      if (seen.has(moment)) continue;
      seen.add(moment);
      done.set(call.id, seen);
      const action = popupActions(call, moment, me);
      if (action.open !== null) {
        // Neither 'noopener' nor cutting `opener` afterwards: either makes the named tab a
        // stranger to this page, and the next pop-up a new tab. The URLs are the DID's, set by
        // an administrator (the CRM), not a visitor's link.
        window.open(action.open.url, action.open.target);
      }
      if (action.notify && 'Notification' in window && Notification.permission === 'granted') {
        new Notification(t('notifyTitle', { number: call.from.number }), {
          body: call.popup.message ?? call.ourNumber ?? call.to,
          tag: call.id,
        });
      }
    }
  }, [calls, me, t, done]);
}
