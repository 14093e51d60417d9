/**
 * Demo data for the quick start: a small call center to log in to and call with. Idempotent:
 * what exists is left alone. Passwords are generated and returned, never fixed in the code.
 */
import { createAgentsService } from '../accounts/agents-service.js';
import { generatePassword } from '../accounts/credentials.js';
import type { BuiltInRole } from '../accounts/permissions.js';
import { createRolesService } from '../accounts/roles-service.js';
import { createExtensionRegistry } from '../dialplan/extensions.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';

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

export interface SeededCredential {
  loginId: string;
  password: string;
  extension: string;
  role: BuiltInRole;
}

export async function seedDemo(db: Db, clock: Clock): Promise<SeededCredential[]> {
  const roles = createRolesService(db, clock);
  roles.ensureBuiltInRoles();
  const agents = createAgentsService(db, clock, createExtensionRegistry());
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
    await agents.create(
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
    created.push({ loginId: demo.loginId, password, extension: demo.extension, role: demo.role });
  }
  return created;
}
