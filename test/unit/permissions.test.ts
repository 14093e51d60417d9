import t from 'tap';
import {
  ALL_PERMISSIONS,
  PERMISSION_AREAS,
  defaultPermissions,
  isPermission,
} from '../../src/accounts/permissions.js';

t.test('the matrix holds every area and action of §11-13', async (t) => {
  // The seed's table: 42 areas (tab menu included), with this many checkboxes.
  // The matrix has no row for workflows, their statistics, the case statuses or MiiTel's
  // call-target lists: ours too.
  const ours = [
    'sessions',
    'api_keys',
    'calls',
    'case_statuses',
    'workflows',
    'workflow_stats',
    'target_lists',
    // MOT オートコール (spec autocall-lists part A)
    'call_lists',
    'call_list_customers',
    'call_list_settings',
    'call_list_operator',
    'call_list_data',
  ];
  // Ours too, in seed areas: seeing everyone's calls in the history, and everyone's CSV upload
  // jobs, not only one's own.
  const oursInSeedAreas = ['call_history.view_all', 'csv_upload.view_all'];
  const seedAreas = Object.keys(PERMISSION_AREAS).filter((a) => !ours.includes(a));
  t.equal(seedAreas.length, 42);
  const seedCount = ALL_PERMISSIONS.filter(
    (p) => !ours.includes(p.split('.')[0] ?? '') && !oursInSeedAreas.includes(p),
  ).length;
  t.equal(seedCount, 116);
  t.equal(new Set(ALL_PERMISSIONS).size, ALL_PERMISSIONS.length, 'no duplicates');
  for (const p of [
    'call_features.whisper',
    'realtime.skill_level',
    'outbound_restrictions.upload',
    'status.lock',
  ]) {
    t.ok(isPermission(p), p);
  }
  t.notOk(isPermission('agents.fly'));
});

t.test('built-in roles', async (t) => {
  t.same(defaultPermissions('system_admin'), ALL_PERMISSIONS);
  const supervisor = new Set<string>(defaultPermissions('supervisor'));
  const agent = new Set<string>(defaultPermissions('agent'));
  // Monitoring and whispering are not for agents (§6-1), but are for supervisors.
  for (const p of [
    'call_features.monitor',
    'call_features.whisper',
    'sessions.force_logout',
    'agents.view',
    'call_history.view_all',
  ]) {
    t.ok(supervisor.has(p), `supervisor has ${p}`);
    t.notOk(agent.has(p), `agent lacks ${p}`);
  }
  for (const p of [
    'roles.update',
    'api_keys.update',
    'aws_s3.update',
    'call_list_data.initialise',
  ]) {
    t.notOk(supervisor.has(p), `supervisor lacks ${p}`);
  }
  for (const p of [
    'status.update',
    'password.update',
    'chat.post',
    'phone.browser_phone',
    'call_list_operator.claim',
    'call_list_operator.upload',
  ]) {
    t.ok(agent.has(p), `agent has ${p}`);
  }
  t.ok(
    [...agent].every((p) => supervisor.has(p)),
    'a supervisor can do everything an agent can',
  );
});
