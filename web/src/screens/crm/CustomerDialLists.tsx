/**
 * A customer's 自動発信 tab (§8-1 顧客詳細): the outbound lists the customer is on — MOT call lists
 * (A.8) with 配布 and 最終ステータス, MiiTel target lists (B.3) with 発信対象 — from
 * GET /customers/{id}/dial-lists.
 */
import { problemOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useCrmWords, type CrmWords } from './words';

const statusWord = (status: string) => `status_${status}` as keyof CrmWords;

export function CustomerDialLists(props: { id: number }) {
  const w = useCrmWords();
  const { api } = useSession();
  const lists = useLoad(
    () => api.call('get', '/api/v1/customers/{id}/dial-lists', { path: { id: props.id } }),
    [api, props.id],
  );
  if (lists.error !== undefined)
    return (
      <p role="alert" class="problem">
        {problemOf(lists.error)}
      </p>
    );
  if (lists.data === undefined) return <p class="notice">{w('loading')}</p>;
  const { callLists, targetLists } = lists.data;
  if (callLists.length === 0 && targetLists.length === 0)
    return (
      <p class="notice" data-testid="no-dial-lists">
        {w('noDialLists')}
      </p>
    );
  return (
    <div class="customer-dial-lists" data-testid="customer-dial-lists">
      {callLists.length > 0 && (
        <table class="list" data-testid="customer-call-lists">
          <caption>{w('callListsMot')}</caption>
          <thead>
            <tr>
              <th>{w('listName')}</th>
              <th>{w('listDistributed')}</th>
              <th>{w('listFinalStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {callLists.map((l) => (
              <tr key={l.listId}>
                <td>{l.name}</td>
                <td>{l.distributed ? w('distributedMark') : ''}</td>
                <td>{l.finalStatus === null ? '' : w(statusWord(l.finalStatus))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {targetLists.length > 0 && (
        <table class="list" data-testid="customer-target-lists">
          <caption>{w('targetListsMiitel')}</caption>
          <thead>
            <tr>
              <th>{w('listName')}</th>
              <th>{w('listTarget')}</th>
            </tr>
          </thead>
          <tbody>
            {targetLists.map((l) => (
              <tr key={l.listId}>
                <td>{l.name}</td>
                <td>{l.excluded ? w('targetExcluded') : w('targetIncluded')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
