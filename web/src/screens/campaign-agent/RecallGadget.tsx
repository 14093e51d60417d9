/**
 * The recall gadget (再コール一覧 §7): a header icon whose badge is how many entries wait for me
 * to dial them (担当 = me, 結果 = 発信待機中), and the list it opens — 再コール日時 grouped by day
 * (`Today(2017-01-13)`), キャンペーン名, 名称と電話番号 — with 発信 (my phone rings, then the
 * customer with the campaign's number) and 10分後 / 1時間後 / 1日後. The manual's 3-minute reload
 * is a push: `recalls_changed` on my `me` topic re-reads the list.
 */
import { useState } from 'preact/hooks';
import { problemOf, type ItemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useCampaignAgentWords, type CampaignAgentTranslate } from './words';
import './campaign-agent.css';

export type Recall = ItemOf<'/api/v1/me/recalls'>;

export const LATER = [
  { in: '10m', word: 'in10m' },
  { in: '1h', word: 'in1h' },
  { in: '1d', word: 'in1d' },
] as const;

const two = (n: number) => String(n).padStart(2, '0');
/** YYYY-MM-DD of an instant on this browser's calendar. */
const dayOf = (at: Date) => `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
const timeOf = (at: Date) => `${two(at.getHours())}:${two(at.getMinutes())}`;

interface Day {
  /** YYYY-MM-DD, or null for the entries with no reservation (エージェントのみ), listed last. */
  day: string | null;
  recalls: Recall[];
}

/** The recalls by day of their reservation, in the server's order (soonest first). */
function byDay(recalls: Recall[]): Day[] {
  const days: Day[] = [];
  for (const recall of recalls) {
    const day = recall.reservedAt === null ? null : dayOf(new Date(recall.reservedAt));
    const last = days.at(-1);
    if (last !== undefined && last.day === day) last.recalls.push(recall);
    else days.push({ day, recalls: [recall] });
  }
  return days;
}

function dayTitle(day: string | null, w: CampaignAgentTranslate): string {
  if (day === null) return w('unscheduled');
  return day === dayOf(new Date()) ? w('today', { date: day }) : day;
}

export function RecallGadget() {
  const { api, can } = useSession();
  const w = useCampaignAgentWords();
  const toast = useToast();
  const me = useTopic('me');
  const [open, setOpen] = useState(false);
  const pushed = me.state.recalls;
  // Re-read on every push, and after a reconnection (its snapshot may hide missed pushes).
  const list = useLoad(
    () => api.call('get', '/api/v1/me/recalls'),
    [api, pushed?.changes, me.readiness],
  );
  const count = pushed?.count ?? list.data?.count ?? 0;

  async function act(run: () => Promise<unknown>, done: string) {
    try {
      await run();
      toast.done(done);
      list.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  function reserve(recall: Recall, later: (typeof LATER)[number]) {
    const body = { in: later.in };
    const customer = recall.customer;
    const done = w('reserved', { when: w(later.word) });
    if (customer !== null && can('customer_autodial.update'))
      void act(
        () =>
          api.call('post', '/api/v1/customers/{id}/autodial/{entryId}/reserve', {
            path: { id: customer.id, entryId: recall.id },
            body,
          }),
        done,
      );
    else
      void act(
        () =>
          api.call('post', '/api/v1/campaigns/entries/{id}/reserve', {
            path: { id: recall.id },
            body,
          }),
        done,
      );
  }

  const mayReserve = (recall: Recall) =>
    (recall.customer !== null && can('customer_autodial.update')) || can('autodial.update');

  return (
    <span class="recall-gadget">
      <button
        type="button"
        class={`recall-icon${open ? ' active' : ''}`}
        data-testid="recall-icon"
        aria-expanded={open}
        title={w('recallList')}
        aria-label={w('recallCount', { count })}
        onClick={() => setOpen(!open)}
      >
        {w('recalls')}
        <span class={`badge${count === 0 ? ' none' : ''}`} data-testid="recall-badge">
          {count}
        </span>
      </button>
      {open && (
        <div class="recall-list card" role="dialog" data-testid="recall-list">
          <header>
            <h3>{w('recallList')}</h3>
            <button type="button" data-testid="recall-reload" onClick={list.reload}>
              {w('reload')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {w('close')}
            </button>
          </header>
          {list.data !== undefined && list.data.items.length === 0 && <p>{w('noRecalls')}</p>}
          {list.data !== undefined && list.data.items.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{w('recallAt')}</th>
                  <th>{w('campaign')}</th>
                  <th>{w('nameAndPhone')}</th>
                  <th />
                </tr>
              </thead>
              {byDay(list.data.items).map((group) => (
                <tbody key={group.day ?? 'none'} data-day={group.day ?? ''}>
                  <tr class="day">
                    <th colSpan={4}>{dayTitle(group.day, w)}</th>
                  </tr>
                  {group.recalls.map((recall) => (
                    <tr key={recall.id} data-entry={recall.id}>
                      <td class="at">
                        {recall.reservedAt === null ? '—' : timeOf(new Date(recall.reservedAt))}
                      </td>
                      <td>{recall.campaign.name}</td>
                      <td class="who">
                        {recall.customer !== null && can('customers.view') ? (
                          <a
                            href={`#/crm/customers/${recall.customer.id}`}
                            onClick={() => setOpen(false)}
                          >
                            {recall.customer.name}
                          </a>
                        ) : (
                          <span>{recall.customer?.name ?? ''}</span>
                        )}{' '}
                        <span class="phone">{recall.phone}</span>
                      </td>
                      <td>
                        <span class="recall-actions">
                          <button
                            type="button"
                            class="primary"
                            data-testid="recall-dial"
                            onClick={() =>
                              void act(
                                () =>
                                  api.call('post', '/api/v1/me/recalls/{id}/dial', {
                                    path: { id: recall.id },
                                  }),
                                w('dialing'),
                              )
                            }
                          >
                            {w('dial')}
                          </button>
                          {mayReserve(recall) &&
                            LATER.map((later) => (
                              <button
                                type="button"
                                key={later.in}
                                data-later={later.in}
                                onClick={() => reserve(recall, later)}
                              >
                                {w(later.word)}
                              </button>
                            ))}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          )}
        </div>
      )}
    </span>
  );
}
