/**
 * CRM自動検索 (§8-1): when a call from a saved number rings the agent and their setting says so,
 * the customer opens — the one customer of the number, or the customers list searched by it when
 * several share it. Once per call; the call carries its customers (those the agent may see).
 */
import { useEffect, useRef } from 'preact/hooks';
import { navigate } from '../../app/router';
import type { LiveCall } from '../../feed/topics';
import { useSession } from '../../session';
import { myLeg } from '../phone/my-calls';

/** Where a ringing call's customers are shown, or null when there is nothing to open. */
export function customerAddress(call: LiveCall): string | null {
  const [first, ...more] = call.customers;
  if (first === undefined) return null;
  if (more.length === 0) return `/crm/customers/${first.id}`;
  return `/crm/customers?phone=${encodeURIComponent(call.from.number)}`;
}

export function useCrmAutoSearch(calls: LiveCall[]): void {
  const { me, can } = useSession();
  const opened = useRef(new Set<string>()).current;
  useEffect(() => {
    const live = new Set(calls.map((c) => c.id));
    for (const id of opened) if (!live.has(id)) opened.delete(id);
    if (!me.crmAutoSearch || !can('customers.view')) return;
    for (const call of calls) {
      const leg = myLeg(call, me.id);
      if (leg === undefined || leg.role !== 'callee' || call.direction === 'outbound') continue;
      if (opened.has(call.id)) continue;
      const address = customerAddress(call);
      if (address === null) continue;
      opened.add(call.id);
      navigate(address);
    }
  }, [calls, me, can, opened]);
}
