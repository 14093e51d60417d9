/**
 * What the case screens (§8-2) choose from: the case statuses, tags, agents (担当), workflows and
 * the case custom fields (§11-9 カテゴリ 案件) — each read only with its permission, an empty list
 * without it (an agent without agents.view chooses 自分 or nobody as the assignee).
 */
import type { Answer, ItemOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export type Case = Answer<'/api/v1/cases/{id}', 'get'>;
export type CaseStatus = ItemOf<'/api/v1/case-statuses'>;
export type CaseTag = ItemOf<'/api/v1/tags'>;
export type WorkflowItem = ItemOf<'/api/v1/workflows'>;
export type CaseCustomField = ItemOf<'/api/v1/custom-fields'>;

export interface CaseChoices {
  statuses: CaseStatus[];
  tags: CaseTag[];
  agents: { id: number; name: string }[];
  workflows: WorkflowItem[];
  customFields: CaseCustomField[];
}

export function useCaseChoices(): CaseChoices {
  const { api, can } = useSession();
  const statuses = useLoad(
    async () =>
      can('case_statuses.view') ? (await api.call('get', '/api/v1/case-statuses')).items : [],
    [api],
  );
  const tags = useLoad(
    async () =>
      can('tags.view')
        ? (await api.call('get', '/api/v1/tags', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const agents = useLoad(
    async () =>
      can('agents.view')
        ? (await api.call('get', '/api/v1/agents', { query: { limit: '500' } })).items.map((a) => ({
            id: a.id,
            name: a.name,
          }))
        : [],
    [api],
  );
  const workflows = useLoad(
    async () =>
      can('workflows.view')
        ? (await api.call('get', '/api/v1/workflows', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const customFields = useLoad(
    async () =>
      can('custom_fields.view')
        ? (
            await api.call('get', '/api/v1/custom-fields', {
              query: { category: 'case', limit: '500' },
            })
          ).items
        : [],
    [api],
  );
  return {
    statuses: statuses.data ?? [],
    tags: tags.data ?? [],
    agents: agents.data ?? [],
    workflows: workflows.data ?? [],
    customFields: customFields.data ?? [],
  };
}

/** The list's ワークフロー column: `TESTフロー-STEP1`, or the workflow alone at its end. */
export const workflowCellOf = (c: Pick<Case, 'workflowName' | 'stepName'>) =>
  c.workflowName === null
    ? ''
    : c.stepName === null
      ? c.workflowName
      : `${c.workflowName}-${c.stepName}`;
