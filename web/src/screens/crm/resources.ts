/**
 * The CRM tab's descriptor-driven resources: tags (§10-10), FAQ (§8-3), business formats
 * (§11-8, their fields and members in sections of their own), custom fields (§11-9), case
 * statuses (§8-2 ステータス) and workflows (§11-11, their steps and flowchart in a section). Their
 * lists and details are the admin screens' (admin/ResourceList, admin/ResourceDetail) under
 * #/crm/<key>.
 */
import type { Choices, ResourceDescriptor, Row } from '../../admin/descriptor';
import { label } from '../../admin/descriptor';
import { FormatFields } from './FormatFields';
import { FormatMembers } from './FormatMembers';
import { WorkflowSteps } from './WorkflowSteps';

export const tagChoices: Choices = {
  kind: 'resource',
  path: '/api/v1/tags',
  value: 'id',
  label: (r: Row) => label(r, 'name'),
};

/** A record's tag refs (`tags: [{id, …}]`) as the ids its form sends (`tagIds`). */
const withTagIds = (row: Row): Row => ({
  ...row,
  tagIds: (Array.isArray(row.tags) ? (row.tags as { id: number }[]) : []).map((t) => t.id),
});

const dateOf = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : '');

export const TAGS: ResourceDescriptor = {
  key: 'tags',
  base: '/crm/tags',
  title: 'crmTags',
  list: '/api/v1/tags',
  item: '/api/v1/tags/{id}',
  readable: true,
  create: '/api/v1/tags',
  paged: true,
  columns: [
    { name: 'name', label: 'title' },
    {
      name: 'color',
      label: 'color',
      value: (row) => `${String(row.fontColor)} / ${String(row.backgroundColor)}`,
    },
    { name: 'updatedAt', label: 'updatedAt', value: (row) => dateOf(row.updatedAt) },
  ],
  search: [
    { type: 'text', name: 'name', label: 'title' },
    { type: 'text', name: 'q', label: 'details' },
  ],
  fields: [
    { type: 'text', name: 'name', label: 'title' },
    { type: 'color', name: 'fontColor', label: 'fontColor' },
    { type: 'color', name: 'backgroundColor', label: 'backgroundColor' },
    { type: 'textarea', name: 'details', label: 'details' },
  ],
  permissions: { view: 'tags.view', update: 'tags.update', delete: 'tags.delete' },
};

export const FAQS: ResourceDescriptor = {
  key: 'faqs',
  base: '/crm/faqs',
  title: 'crmFaqs',
  list: '/api/v1/faqs',
  item: '/api/v1/faqs/{id}',
  readable: true,
  create: '/api/v1/faqs',
  paged: true,
  columns: [
    { name: 'title', label: 'title' },
    { name: 'updatedAt', label: 'updatedAt', value: (row) => dateOf(row.updatedAt) },
  ],
  search: [
    { type: 'text', name: 'title', label: 'title' },
    { type: 'text', name: 'q', label: 'details' },
    { type: 'select', name: 'tagId', label: 'tags', choices: tagChoices, nullable: true },
  ],
  fields: [
    { type: 'text', name: 'title', label: 'title' },
    { type: 'multi', name: 'tagIds', label: 'tags', choices: tagChoices, numeric: true },
    { type: 'textarea', name: 'details', label: 'details' },
  ],
  fromApi: withTagIds,
  permissions: { view: 'faqs.view', update: 'faqs.update', delete: 'faqs.delete' },
};

export const BUSINESS_FORMATS: ResourceDescriptor = {
  key: 'business-formats',
  base: '/crm/business-formats',
  title: 'crmBusinessFormats',
  list: '/api/v1/business-formats',
  item: '/api/v1/business-formats/{id}',
  readable: true,
  create: '/api/v1/business-formats',
  paged: true,
  columns: [
    { name: 'name', label: 'name' },
    { name: 'updatedAt', label: 'updatedAt', value: (row) => dateOf(row.updatedAt) },
  ],
  search: [{ type: 'text', name: 'name', label: 'name' }],
  fields: [{ type: 'text', name: 'name', label: 'formatName' }],
  frozen: (row) => ({ fields: [], deletable: row.builtIn === null }),
  sections: [
    { title: 'formatFields', view: FormatFields },
    { title: 'formatMembers', view: FormatMembers },
  ],
  permissions: {
    view: 'business_formats.view',
    update: 'business_formats.update',
    delete: 'business_formats.delete',
  },
};

export const CUSTOM_FIELDS: ResourceDescriptor = {
  key: 'custom-fields',
  base: '/crm/custom-fields',
  title: 'crmCustomFields',
  list: '/api/v1/custom-fields',
  item: '/api/v1/custom-fields/{id}',
  readable: true,
  create: '/api/v1/custom-fields',
  paged: true,
  columns: [
    { name: 'name', label: 'name' },
    { name: 'category', label: 'category', enum: 'customFieldCategory' },
    { name: 'type', label: 'fieldType', enum: 'customFieldType' },
    { name: 'updatedAt', label: 'updatedAt', value: (row) => dateOf(row.updatedAt) },
  ],
  search: [
    { type: 'text', name: 'name', label: 'name' },
    {
      type: 'select',
      name: 'category',
      label: 'category',
      nullable: true,
      choices: { kind: 'enum', name: 'customFieldCategory', values: ['customer', 'case'] },
    },
  ],
  createFields: [
    {
      type: 'select',
      name: 'category',
      label: 'category',
      choices: { kind: 'enum', name: 'customFieldCategory', values: ['customer', 'case'] },
    },
  ],
  createOnly: ['category'],
  fields: [
    { type: 'text', name: 'name', label: 'name' },
    {
      type: 'select',
      name: 'type',
      label: 'fieldType',
      choices: {
        kind: 'enum',
        name: 'customFieldType',
        values: ['text', 'number', 'date', 'list'],
      },
    },
    { type: 'lines', name: 'options', label: 'options' },
    { type: 'number', name: 'position', label: 'sortOrder', min: 0, max: 1000 },
  ],
  permissions: {
    view: 'custom_fields.view',
    update: 'custom_fields.update',
    delete: 'custom_fields.delete',
  },
};

export const CASE_STATUSES: ResourceDescriptor = {
  key: 'case-statuses',
  base: '/crm/case-statuses',
  title: 'crmCaseStatuses',
  list: '/api/v1/case-statuses',
  item: '/api/v1/case-statuses/{id}',
  readable: true,
  create: '/api/v1/case-statuses',
  paged: false,
  columns: [
    { name: 'name', label: 'name' },
    { name: 'position', label: 'sortOrder' },
    { name: 'updatedAt', label: 'updatedAt', value: (row) => dateOf(row.updatedAt) },
  ],
  fields: [
    { type: 'text', name: 'name', label: 'name' },
    { type: 'number', name: 'position', label: 'sortOrder', min: 0, max: 10_000 },
  ],
  // 作業中 and 完了 may be renamed, not deleted.
  frozen: (row) => ({ fields: [], deletable: row.builtIn === null }),
  permissions: {
    view: 'case_statuses.view',
    update: 'case_statuses.update',
    delete: 'case_statuses.delete',
  },
};

export const WORKFLOWS: ResourceDescriptor = {
  key: 'workflows',
  base: '/crm/workflows',
  title: 'crmWorkflows',
  list: '/api/v1/workflows',
  item: '/api/v1/workflows/{id}',
  readable: true,
  create: '/api/v1/workflows',
  paged: true,
  columns: [
    { name: 'name', label: 'name' },
    { name: 'firstStepName', label: 'firstStep' },
    { name: 'updatedAt', label: 'updatedAt', value: (row) => dateOf(row.updatedAt) },
  ],
  search: [{ type: 'text', name: 'name', label: 'name' }],
  fields: [{ type: 'text', name: 'name', label: 'workflowName' }],
  sections: [{ title: 'workflowSteps', view: WorkflowSteps }],
  permissions: {
    view: 'workflows.view',
    update: 'workflows.update',
    delete: 'workflows.delete',
  },
};
