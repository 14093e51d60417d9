/**
 * A customer's 案件 tab (§8-1 顧客詳細: 案件): the customer's cases (GET /cases?customerId=…),
 * each linked to its detail, and + 新規案件, a case for this customer.
 */
import { problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { CaseTable } from './CasesScreen';
import type { Case } from './case-choices';
import { useCrmWords } from './words';

export function CustomerCases(props: { id: number }) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const cases = useLoad(
    async () =>
      (await api.raw('get', '/api/v1/cases', {
        query: { customerId: String(props.id), limit: '500' },
      })) as { items: Case[]; total: number },
    [api, props.id],
  );
  const rows = cases.data?.items ?? [];
  return (
    <div class="customer-cases" data-testid="customer-cases">
      {can('customer_cases.update') && can('cases.update') && (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="new-case"
            onClick={() => navigate(`/crm/cases/new?customerId=${props.id}`)}
          >
            {w('newCaseOfCustomer')}
          </button>
        </div>
      )}
      {cases.error !== undefined && (
        <p role="alert" class="problem">
          {problemOf(cases.error)}
        </p>
      )}
      <CaseTable rows={rows} noCustomer />
      {cases.data !== undefined && rows.length === 0 && <p class="notice">{w('noCases')}</p>}
    </div>
  );
}
