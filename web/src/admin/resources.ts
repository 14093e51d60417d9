/**
 * The administration resources of §11, each described once: the screens, menus and browser
 * tests are made from these. Later features (IVR, CRM, campaigns) add theirs here.
 */
import { AgentHistory, AgentPhoneNumbers, AgentSessions } from './AgentSections';
import { label, type Choices, type ResourceDescriptor, type Row } from './descriptor';
import { GroupMembers } from './GroupMembers';
import type { EnumName } from './words';

const fixed = (...values: string[]): Choices => ({
  kind: 'fixed',
  options: values.map((value) => ({ value, label: value })),
});
/** Values labelled in the interface's language (admin/words.ts). */
const enumOf = (name: EnumName, ...values: string[]): Choices => ({ kind: 'enum', name, values });

const agents: Choices = {
  kind: 'resource',
  path: '/api/v1/agents',
  value: 'id',
  label: (r: Row) => label(r, 'extension', 'name'),
};
const roles: Choices = {
  kind: 'resource',
  path: '/api/v1/roles',
  value: 'id',
  label: (r: Row) => label(r, 'name'),
};
const trunks: Choices = {
  kind: 'resource',
  path: '/api/v1/trunks',
  value: 'id',
  label: (r: Row) => label(r, 'name'),
};
const statuses: Choices = {
  kind: 'resource',
  path: '/api/v1/agent-statuses',
  value: 'id',
  label: (r: Row) => label(r, 'name'),
};
const audioFiles: Choices = {
  kind: 'resource',
  path: '/api/v1/audio-files',
  value: 'id',
  label: (r: Row) => label(r, 'name'),
};
const CODECS = fixed('ulaw', 'alaw', 'g722', 'gsm', 'opus');
const DTMF = enumOf('dtmfMode', 'rfc4733', 'info', 'inband', 'auto');

export const RESOURCES: ResourceDescriptor[] = [
  {
    key: 'agents',
    title: 'resourceAgents',
    list: '/api/v1/agents',
    item: '/api/v1/agents/{id}',
    readable: true,
    create: '/api/v1/agents',
    paged: true,
    columns: [
      { name: 'loginId', label: 'loginId' },
      { name: 'name', label: 'name' },
      { name: 'extension', label: 'extension' },
      { name: 'roleName', label: 'role' },
      { name: 'locked', label: 'locked' },
    ],
    search: [
      { type: 'text', name: 'loginId', label: 'loginId' },
      { type: 'text', name: 'name', label: 'name' },
      { type: 'text', name: 'extension', label: 'extension' },
    ],
    createFields: [{ type: 'text', name: 'loginId', label: 'loginId' }],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'text', name: 'nickname', label: 'nickname' },
      { type: 'text', name: 'extension', label: 'extension' },
      { type: 'select', name: 'roleId', label: 'role', choices: roles, numeric: true },
      {
        type: 'select',
        name: 'language',
        label: 'language',
        choices: enumOf('language', 'ja', 'en'),
      },
      { type: 'secret', name: 'password', label: 'password' },
      { type: 'checkbox', name: 'locked', label: 'locked' },
      { type: 'checkbox', name: 'popupOnIncoming', label: 'popupOnIncoming' },
      { type: 'checkbox', name: 'popupOnAnswer', label: 'popupOnAnswer' },
      {
        type: 'select',
        name: 'popupWindow',
        label: 'popupWindow',
        choices: enumOf('popupWindow', 'same_tab', 'new_tab'),
      },
    ],
    sections: [
      { title: 'callerIds', view: AgentPhoneNumbers },
      { title: 'loginSessions', view: AgentSessions, permission: 'sessions.view' },
      { title: 'changeHistory', view: AgentHistory },
    ],
    permissions: { view: 'agents.view', update: 'agents.update', delete: 'agents.delete' },
  },
  {
    key: 'groups',
    title: 'resourceGroups',
    list: '/api/v1/groups',
    item: '/api/v1/groups/{id}',
    readable: true,
    create: '/api/v1/groups',
    paged: true,
    columns: [
      { name: 'name', label: 'name' },
      { name: 'extension', label: 'extension' },
      { name: 'strategy', label: 'strategy', enum: 'strategy' },
      { name: 'timeoutSeconds', label: 'timeoutSeconds' },
    ],
    search: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'text', name: 'extension', label: 'extension' },
    ],
    createFields: [{ type: 'members', name: 'members', label: 'members' }],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'text', name: 'extension', label: 'extension' },
      {
        type: 'select',
        name: 'strategy',
        label: 'strategy',
        choices: enumOf(
          'strategy',
          'ring_all',
          'least_recent',
          'shortest_talk_time',
          'random',
          'round_robin',
          'skill_weighted',
          'fewest_calls',
          'linear',
        ),
      },
      { type: 'number', name: 'maxWaiting', label: 'maxWaiting', min: 0 },
      { type: 'number', name: 'timeoutSeconds', label: 'timeoutSeconds', min: 0 },
      { type: 'route', name: 'timeout', label: 'timeoutRoute' },
      { type: 'route', name: 'overflow', label: 'overflowRoute' },
      { type: 'number', name: 'ringSeconds', label: 'ringSeconds', min: 1 },
      { type: 'checkbox', name: 'autoPause', label: 'autoPause' },
      {
        type: 'select',
        name: 'acwStatusId',
        label: 'acwStatus',
        choices: statuses,
        nullable: true,
        numeric: true,
      },
      { type: 'number', name: 'acwSeconds', label: 'acwSeconds', min: 0 },
      ...(['greeting', 'announcement', 'whisper'] as const).map((audio) => ({
        type: 'select' as const,
        name: `${audio}AudioFileId`,
        label: `${audio}Audio` as const,
        choices: audioFiles,
        nullable: true,
        numeric: true,
      })),
      { type: 'color', name: 'fontColor', label: 'fontColor' },
      { type: 'color', name: 'backgroundColor', label: 'backgroundColor' },
    ],
    sections: [{ title: 'members', view: GroupMembers }],
    permissions: { view: 'groups.view', update: 'groups.update', delete: 'groups.delete' },
  },
  {
    key: 'phone-numbers',
    title: 'resourcePhoneNumbers',
    list: '/api/v1/phone-numbers',
    item: '/api/v1/phone-numbers/{id}',
    readable: true,
    create: '/api/v1/phone-numbers',
    paged: true,
    columns: [
      { name: 'number', label: 'number' },
      { name: 'name', label: 'name' },
      {
        name: 'route',
        label: 'route',
        value: (r, say) => {
          const route = (r.route ?? {}) as Row;
          return [
            say.e('routeType', route.type),
            label(route, 'groupId', 'agentId', 'extension', 'ivrId', 'audioFileId'),
          ]
            .filter((s) => s !== '')
            .join(' ');
        },
      },
    ],
    search: [
      { type: 'text', name: 'number', label: 'number' },
      { type: 'text', name: 'name', label: 'name' },
    ],
    createFields: [{ type: 'text', name: 'number', label: 'number' }],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'route', name: 'route', label: 'route' },
      { type: 'number', name: 'maxChannels', label: 'maxChannels', min: 0 },
      { type: 'textarea', name: 'incomingMessage', label: 'incomingMessage' },
      { type: 'text', name: 'incomingPopupUrl', label: 'incomingPopupUrl' },
      { type: 'text', name: 'answerPopupUrl', label: 'answerPopupUrl' },
      {
        type: 'select',
        name: 'trunkId',
        label: 'trunk',
        choices: trunks,
        nullable: true,
        numeric: true,
      },
      { type: 'multi', name: 'agentIds', label: 'agentsAllowed', choices: agents, numeric: true },
      {
        type: 'select',
        name: 'language',
        label: 'promptLanguage',
        choices: enumOf('language', 'ja', 'en'),
      },
    ],
    createOnly: ['number'],
    permissions: { view: 'phone_numbers.view', update: 'phone_numbers.update' },
  },
  {
    key: 'terminals',
    title: 'resourceTerminals',
    list: '/api/v1/terminals',
    item: '/api/v1/terminals/{id}',
    readable: true,
    create: '/api/v1/terminals',
    paged: true,
    columns: [
      { name: 'sipUser', label: 'sipUser' },
      { name: 'name', label: 'name' },
      { name: 'registered', label: 'registered' },
      { name: 'webrtc', label: 'webrtc' },
    ],
    search: [
      { type: 'text', name: 'sipUser', label: 'sipUser' },
      { type: 'text', name: 'name', label: 'name' },
    ],
    createFields: [{ type: 'text', name: 'sipUser', label: 'sipUser' }],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      {
        type: 'select',
        name: 'agentId',
        label: 'agent',
        choices: agents,
        nullable: true,
        numeric: true,
      },
      { type: 'multi', name: 'codecs', label: 'codecs', choices: CODECS },
      { type: 'select', name: 'dtmfMode', label: 'dtmfMode', choices: DTMF },
      { type: 'checkbox', name: 'behindNat', label: 'behindNat' },
      { type: 'checkbox', name: 'webrtc', label: 'webrtc' },
    ],
    permissions: { view: 'terminals.view', update: 'terminals.update', delete: 'terminals.delete' },
  },
  {
    key: 'trunks',
    title: 'resourceTrunks',
    list: '/api/v1/trunks',
    item: '/api/v1/trunks/{id}',
    readable: true,
    create: '/api/v1/trunks',
    paged: true,
    columns: [
      { name: 'name', label: 'name' },
      { name: 'host', label: 'host' },
      { name: 'enabled', label: 'enabled' },
      { name: 'registration', label: 'registration', enum: 'registration' },
    ],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'text', name: 'host', label: 'host' },
      { type: 'number', name: 'port', label: 'port', min: 1, max: 65535 },
      { type: 'text', name: 'username', label: 'username' },
      { type: 'secret', name: 'secret', label: 'secret' },
      { type: 'checkbox', name: 'register', label: 'register' },
      { type: 'output', name: 'registration', label: 'registration', enum: 'registration' },
      { type: 'lines', name: 'matchAddresses', label: 'matchAddresses' },
      { type: 'multi', name: 'codecs', label: 'codecs', choices: CODECS },
      { type: 'number', name: 'maxChannels', label: 'maxChannels', min: 0 },
      { type: 'checkbox', name: 'enabled', label: 'enabled' },
    ],
    // Trunks are terminals of the carrier's kind: the seed's 端末 permissions cover both.
    permissions: { view: 'terminals.view', update: 'terminals.update', delete: 'terminals.delete' },
  },
  {
    key: 'external-transfers',
    title: 'resourceExternalTransfers',
    list: '/api/v1/external-transfers',
    item: '/api/v1/external-transfers/{id}',
    readable: true,
    create: '/api/v1/external-transfers',
    paged: true,
    columns: [
      { name: 'name', label: 'name' },
      { name: 'number', label: 'number' },
      { name: 'extension', label: 'extension' },
    ],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'text', name: 'number', label: 'number' },
      { type: 'text', name: 'callerNumber', label: 'callerNumber' },
      { type: 'checkbox', name: 'useCalledNumber', label: 'useCalledNumber' },
      { type: 'text', name: 'extension', label: 'extension' },
    ],
    permissions: {
      view: 'external_transfers.view',
      update: 'external_transfers.update',
      delete: 'external_transfers.delete',
    },
  },
  {
    key: 'agent-statuses',
    title: 'resourceAgentStatuses',
    list: '/api/v1/agent-statuses',
    item: '/api/v1/agent-statuses/{id}',
    readable: true,
    create: '/api/v1/agent-statuses',
    paged: false,
    columns: [
      { name: 'name', label: 'name' },
      { name: 'onLogin', label: 'onLogin' },
      { name: 'afterCall', label: 'afterCall' },
      { name: 'toggle', label: 'toggle', enum: 'toggle' },
    ],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'color', name: 'fontColor', label: 'fontColor' },
      { type: 'color', name: 'backgroundColor', label: 'backgroundColor' },
      { type: 'number', name: 'sortOrder', label: 'sortOrder' },
      { type: 'checkbox', name: 'onLogin', label: 'onLogin' },
      { type: 'checkbox', name: 'afterCall', label: 'afterCall' },
      { type: 'number', name: 'afterCallSeconds', label: 'afterCallSeconds', min: 0 },
      {
        type: 'select',
        name: 'toggle',
        label: 'toggle',
        choices: enumOf('toggle', 'none', 'previous', 'login_status'),
      },
    ],
    permissions: {
      view: 'agent_statuses.view',
      update: 'agent_statuses.update',
      delete: 'agent_statuses.delete',
    },
  },
  {
    key: 'blocked-numbers',
    title: 'resourceBlockedNumbers',
    list: '/api/v1/blocked-numbers',
    item: '/api/v1/blocked-numbers/{id}',
    readable: false,
    create: '/api/v1/blocked-numbers',
    bulkDelete: '/api/v1/blocked-numbers/bulk-delete',
    paged: true,
    columns: [
      { name: 'number', label: 'number' },
      { name: 'note', label: 'note' },
    ],
    search: [
      { type: 'text', name: 'number', label: 'number' },
      { type: 'text', name: 'note', label: 'note' },
    ],
    fields: [
      { type: 'text', name: 'number', label: 'number' },
      { type: 'text', name: 'note', label: 'note' },
    ],
    permissions: {
      view: 'blocked_numbers.view',
      update: 'blocked_numbers.update',
      delete: 'blocked_numbers.bulk_delete',
    },
  },
  {
    key: 'outbound-restrictions',
    title: 'resourceOutboundRestrictions',
    list: '/api/v1/outbound-restrictions',
    item: '/api/v1/outbound-restrictions/{id}',
    readable: false,
    create: '/api/v1/outbound-restrictions',
    bulkDelete: '/api/v1/outbound-restrictions/bulk-delete',
    paged: true,
    columns: [
      { name: 'number', label: 'number' },
      { name: 'callerNumber', label: 'callerNumber' },
      { name: 'note', label: 'note' },
    ],
    search: [
      { type: 'text', name: 'number', label: 'number' },
      { type: 'text', name: 'note', label: 'note' },
    ],
    fields: [
      { type: 'text', name: 'number', label: 'number' },
      { type: 'text', name: 'callerNumber', label: 'callerNumber' },
      { type: 'text', name: 'note', label: 'note' },
    ],
    csvImport: {
      path: '/api/v1/outbound-restrictions/import',
      permission: 'outbound_restrictions.upload',
    },
    permissions: {
      view: 'outbound_restrictions.view',
      update: 'outbound_restrictions.update',
      delete: 'outbound_restrictions.bulk_delete',
    },
  },
  {
    key: 'roles',
    title: 'resourceRoles',
    list: '/api/v1/roles',
    item: '/api/v1/roles/{id}',
    readable: true,
    create: '/api/v1/roles',
    paged: true,
    columns: [
      { name: 'name', label: 'name' },
      {
        name: 'builtIn',
        label: 'builtInRole',
        value: (r, say) => (r.builtIn === null ? say.w('custom') : say.e('builtIn', r.builtIn)),
      },
      {
        name: 'permissions',
        label: 'permissions',
        value: (r) => String((r.permissions as unknown[]).length),
      },
    ],
    search: [{ type: 'text', name: 'name', label: 'name' }],
    fields: [
      { type: 'text', name: 'name', label: 'name' },
      { type: 'permissions', name: 'permissions', label: 'permissions' },
    ],
    // The server keeps the system administrator's permissions whole, and every built-in role.
    frozen: (r) =>
      r.builtIn === 'system_admin'
        ? { fields: ['permissions'], deletable: false, note: 'fixedPermissions' }
        : r.builtIn === null || r.builtIn === undefined
          ? { fields: [], deletable: true }
          : { fields: [], deletable: false, note: 'builtInRoleKept' },
    permissions: { view: 'roles.view', update: 'roles.update', delete: 'roles.delete' },
  },
];
