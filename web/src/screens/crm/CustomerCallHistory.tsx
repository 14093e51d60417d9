/** 顧客詳細's 通話履歴 tab (§8-1): everyone's calls with the customer's numbers, newest first. */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { clockText, useDateTime } from '../../ui/time';
import { useCrmWords } from './words';

const PAGE = 50;

export function CustomerCallHistory(props: { id: number }) {
  const w = useCrmWords();
  const { api } = useSession();
  const when = useDateTime('short');
  const [offset, setOffset] = useState(0);
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/customers/{id}/call-history', {
        path: { id: props.id },
        query: { limit: String(PAGE), offset: String(offset) },
      }),
    [api, props.id, offset],
  );
  if (page.error !== undefined) return <p class="problem">{problemOf(page.error)}</p>;
  const rows = page.data?.items ?? [];
  return (
    <div data-testid="customer-calls">
      {page.data !== undefined && rows.length === 0 ? (
        <p class="notice">{w('noCalls')}</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{w('startedAt')}</th>
              <th>{w('direction')}</th>
              <th>{w('from')}</th>
              <th>{w('to')}</th>
              <th>{w('talkSeconds')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>{when.format(new Date(c.startedAt))}</td>
                <td>{w(`direction_${c.direction}`)}</td>
                <td>
                  {c.fromNumber} {c.fromName}
                </td>
                <td>{c.ourNumber ?? c.toNumber}</td>
                <td>{clockText(c.talkSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </div>
  );
}
