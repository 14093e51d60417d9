/**
 * Demo data for the quick start: a small call center to log in to and call with — four agents,
 * each with a SIP phone whose ID is their extension, and the operator statuses of seed 001 as
 * custom statuses, and a group (queue) サポート on extension 800 with the operators.
 * Idempotent: what exists is left alone. Passwords and SIP secrets are generated and returned,
 * never fixed in the code.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createAgentsService, type AgentsService } from '../accounts/agents-service.js';
import { generatePassword } from '../accounts/credentials.js';
import type { BuiltInRole } from '../accounts/permissions.js';
import { createRolesService } from '../accounts/roles-service.js';
import { createExtensionRegistry, type ExtensionRegistry } from '../dialplan/extensions.js';
import {
  createCustomStatusesService,
  type CustomStatusInput,
} from '../agents/custom-statuses-service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created as createdColumns } from '../platform/db/columns.js';
import { createSessionWatch } from '../platform/http/session-watch.js';
import type { SecretBox } from '../platform/secrets.js';
import { createGroupsService } from '../queues/groups-service.js';
import { createQueueLog } from '../queues/queue-log.js';
import { terminals } from '../terminals/schema.js';
import { DEFAULT_CODECS } from '../terminals/service.js';

interface DemoAgent {
  loginId: string;
  name: string;
  nickname: string;
  extension: string;
  role: BuiltInRole;
}

/** A supervisor and three operators, on the seed's extension range (200–799). */
export const DEMO_AGENTS: readonly DemoAgent[] = [
  { loginId: 'sv01', name: '佐藤 花子', nickname: 'Sato', extension: '200', role: 'supervisor' },
  { loginId: 'op01', name: '鈴木 一郎', nickname: 'Suzuki', extension: '201', role: 'agent' },
  { loginId: 'op02', name: '高橋 次郎', nickname: 'Takahashi', extension: '202', role: 'agent' },
  { loginId: 'op03', name: '田中 三郎', nickname: 'Tanaka', extension: '203', role: 'agent' },
];

/**
 * The operator statuses of MOT/CallCenter (seed 001): 準備中 after login, 後処理 after an
 * external call (60 s, then available), breaks that toggle back, and other work.
 */
export const DEMO_STATUSES: readonly CustomStatusInput[] = [
  { name: '準備中', icon: 'hourglass', backgroundColor: '#fff3cd', onLogin: true, sortOrder: 10 },
  {
    name: '後処理',
    icon: 'edit',
    backgroundColor: '#d1ecf1',
    afterCall: true,
    afterCallSeconds: 60,
    sortOrder: 20,
  },
  { name: '小休憩', icon: 'coffee', backgroundColor: '#e2e3e5', toggle: 'previous', sortOrder: 30 },
  {
    name: '昼休憩',
    icon: 'utensils',
    backgroundColor: '#e2e3e5',
    toggle: 'login_status',
    sortOrder: 40,
  },
  { name: '他業務', icon: 'briefcase', backgroundColor: '#f8d7da', sortOrder: 50 },
];

const DEMO_GROUP = 'サポート';

export interface SeededCredential {
  loginId: string;
  password: string;
  extension: string;
  role: BuiltInRole;
  /** The agent's demo phone: SIP username (= the extension) and its generated secret (null when
   * the phone existed already). */
  sipUser: string;
  sipSecret: string | null;
}

export async function seedDemo(
  db: Db,
  clock: Clock,
  secrets: SecretBox,
): Promise<SeededCredential[]> {
  const statuses = createCustomStatusesService(db, clock);
  const existingStatuses = new Set(statuses.list().map((s) => s.name));
  for (const status of DEMO_STATUSES) {
    if (!existingStatuses.has(status.name)) statuses.create(status, 'demo');
  }

  // Offline: no open sessions to tell about changes.
  const sessions = createSessionWatch();
  const roles = createRolesService(db, clock, sessions);
  roles.ensureBuiltInRoles();
  const extensions = createExtensionRegistry();
  const agents = createAgentsService(db, clock, extensions, sessions);
  const created: SeededCredential[] = [];
  for (const demo of DEMO_AGENTS) {
    if (
      agents
        .list({ limit: 1, offset: 0, loginId: demo.loginId })
        .items.some((a) => a.loginId === demo.loginId)
    ) {
      continue;
    }
    const password = generatePassword(12);
    const agent = await agents.create(
      {
        loginId: demo.loginId,
        name: demo.name,
        nickname: demo.nickname,
        extension: demo.extension,
        password,
        roleId: roles.builtInRoleId(demo.role),
      },
      'demo',
    );
    // The phone is written to the database only: the server pushes every terminal into Asterisk
    // when it connects.
    let sipSecret: string | null = null;
    if (
      db.select().from(terminals).where(eq(terminals.sipUser, demo.extension)).get() === undefined
    ) {
      sipSecret = randomBytes(12).toString('base64url');
      db.insert(terminals)
        .values({
          sipUser: demo.extension,
          name: `${demo.nickname}'s phone`,
          secretSealed: secrets.seal(sipSecret),
          agentId: agent.id,
          codecs: DEFAULT_CODECS,
          ...createdColumns('demo', clock.now()),
        })
        .run();
    }
    created.push({
      loginId: demo.loginId,
      password,
      extension: demo.extension,
      role: demo.role,
      sipUser: demo.extension,
      sipSecret,
    });
  }
  seedDemoGroup(db, clock, extensions, agents);
  return created;
}

/** A demo group (queue) on extension 800 with the demo operators, least recent first. */
function seedDemoGroup(
  db: Db,
  clock: Clock,
  extensions: ExtensionRegistry,
  agents: AgentsService,
): void {
  const groups = createGroupsService(db, clock, extensions, createQueueLog(db, clock));
  if (groups.list({ limit: 1, offset: 0, name: DEMO_GROUP }).total > 0) return;
  const operators = DEMO_AGENTS.filter((a) => a.role === 'agent').flatMap((demo) =>
    agents
      .list({ limit: 1, offset: 0, loginId: demo.loginId })
      .items.filter((a) => a.loginId === demo.loginId)
      .map((a) => ({ agentId: a.id, skillLevel: 1 })),
  );
  groups.create(
    { name: DEMO_GROUP, extension: '800', strategy: 'least_recent', members: operators },
    'demo',
  );
}
