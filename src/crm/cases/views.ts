/**
 * Cases as the API shows them: the row with its `#T` ID, its status's name, its customer's `#C`
 * ID and name, its assignee's name, its workflow and step names (the list's ワークフロー column,
 * e.g. `TESTフロー-STEP1`) and its tags — read for a whole page at once.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { agents } from '../../accounts/schema.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { caseStatuses } from '../case-statuses/schema.js';
import { customers } from '../customers/schema.js';
import { displayIdOf as customerDisplayId } from '../customers/views.js';
import { tags } from '../tags/schema.js';
import { workflows, workflowSteps } from '../workflows/schema.js';
import { caseTags, type CaseRow } from './schema.js';

export interface CaseTag {
  id: number;
  name: string;
  fontColor: string;
  backgroundColor: string;
}

export interface CaseView extends CaseRow {
  displayId: string;
  statusName: string;
  customer: { id: number; displayId: string; name: string } | null;
  assigneeName: string | null;
  workflowName: string | null;
  stepName: string | null;
  tags: CaseTag[];
}

/** `#T<id>`, as the manual shows a case (and chat references one). */
export const caseDisplayIdOf = (id: number) => `#T${id}`;

/** `#T12`, `#t12` or `12` → 12. */
export function parseCaseId(text: string): number | undefined {
  const m = /^(?:#?[tT])?([1-9][0-9]{0,14})$/.exec(text.trim());
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function namesOf(
  db: DbOrTx,
  table: typeof caseStatuses | typeof agents | typeof workflows | typeof workflowSteps,
  ids: readonly (number | null)[],
): Map<number, string> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  return new Map(
    db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(inArray(table.id, wanted))
      .all()
      .map((r) => [r.id, r.name]),
  );
}

export function caseViews(db: DbOrTx, rows: readonly CaseRow[]): CaseView[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const statuses = namesOf(
    db,
    caseStatuses,
    rows.map((r) => r.statusId),
  );
  const assignees = namesOf(
    db,
    agents,
    rows.map((r) => r.assigneeId),
  );
  const flows = namesOf(
    db,
    workflows,
    rows.map((r) => r.workflowId),
  );
  const steps = namesOf(
    db,
    workflowSteps,
    rows.map((r) => r.stepId),
  );
  const customerIds = [
    ...new Set(rows.flatMap((r) => (r.customerId === null ? [] : [r.customerId]))),
  ];
  const customerNames = new Map(
    customerIds.length === 0
      ? []
      : db
          .select({ id: customers.id, name: customers.name })
          .from(customers)
          .where(inArray(customers.id, customerIds))
          .all()
          .map((c) => [c.id, c.name]),
  );
  const tagsOf = new Map<number, CaseTag[]>(ids.map((id) => [id, []]));
  for (const t of db
    .select({
      caseId: caseTags.caseId,
      id: tags.id,
      name: tags.name,
      fontColor: tags.fontColor,
      backgroundColor: tags.backgroundColor,
    })
    .from(caseTags)
    .innerJoin(tags, eq(tags.id, caseTags.tagId))
    .where(inArray(caseTags.caseId, ids))
    .orderBy(asc(tags.name), asc(tags.id))
    .all()) {
    const { caseId, ...tag } = t;
    tagsOf.get(caseId)?.push(tag);
  }
  return rows.map((r) => ({
    ...r,
    displayId: caseDisplayIdOf(r.id),
    statusName: statuses.get(r.statusId) ?? '',
    customer:
      r.customerId === null
        ? null
        : {
            id: r.customerId,
            displayId: customerDisplayId(r.customerId),
            name: customerNames.get(r.customerId) ?? '',
          },
    assigneeName: r.assigneeId === null ? null : (assignees.get(r.assigneeId) ?? null),
    workflowName: r.workflowId === null ? null : (flows.get(r.workflowId) ?? null),
    stepName: r.stepId === null ? null : (steps.get(r.stepId) ?? null),
    tags: tagsOf.get(r.id) ?? [],
  }));
}
