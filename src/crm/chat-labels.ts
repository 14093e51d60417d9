/**
 * The CRM's answer to chat's ReferenceLabeller (§6-2 ID links): `#C3 開発代表` for a customer,
 * `#T458 請求書の再発行` for a case — only for a reader allowed to see the record
 * (customers.view / cases.view and CRM権限), and only for live records. One query per kind.
 */
import { and, inArray, isNull } from 'drizzle-orm';
import type { ReferenceLabeller } from '../chat/references.js';
import { referenceKey } from '../chat/references.js';
import type { DbOrTx } from '../platform/db/client.js';
import type { Principal } from '../platform/http/auth.js';
import { cases } from './cases/schema.js';
import { caseScope } from './cases/search.js';
import { customers } from './customers/schema.js';
import { displayIdOf } from './customers/views.js';
import { inScope, scopeOfPrincipal } from './customers/visibility.js';
import { caseDisplayIdOf } from './cases/views.js';

export function crmReferenceLabels(db: DbOrTx): ReferenceLabeller<Principal> {
  return (reader, references) => {
    const labels = new Map<string, string>();
    const idsOf = (kind: 'customer' | 'case') => [
      ...new Set(references.filter((r) => r.kind === kind).map((r) => r.id)),
    ];
    const customerIds = reader.permissions.has('customers.view') ? idsOf('customer') : [];
    const caseIds = reader.permissions.has('cases.view') ? idsOf('case') : [];
    if (customerIds.length === 0 && caseIds.length === 0) return labels;
    const scope = scopeOfPrincipal(db, reader);
    if (customerIds.length > 0)
      for (const c of db
        .select({ id: customers.id, name: customers.name, formatId: customers.formatId })
        .from(customers)
        .where(and(inArray(customers.id, customerIds), isNull(customers.deletedAt)))
        .all())
        if (inScope(scope, c.formatId))
          labels.set(referenceKey('customer', c.id), `${displayIdOf(c.id)} ${c.name}`);
    if (caseIds.length > 0)
      for (const c of db
        .select({ id: cases.id, title: cases.title })
        .from(cases)
        .where(and(inArray(cases.id, caseIds), isNull(cases.deletedAt), caseScope(scope)))
        .all())
        labels.set(referenceKey('case', c.id), `${caseDisplayIdOf(c.id)} ${c.title}`);
    return labels;
  };
}
