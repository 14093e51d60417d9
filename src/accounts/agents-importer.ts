/**
 * The MOT user upload (ユーザ CSVインポート, A.6.3) on the CSV import engine: ユーザID, ユーザ名,
 * グループ, ログインID, 権限, メールアドレス, 内線番号, パスワード, MOTパスワード, 削除フラグ,
 * title row required. Users are the server's agents, written through the agents service (its
 * login-ID and extension rules, the last administrator kept); groups through the groups service.
 *
 * - An empty ユーザID makes a user; an ID changes that user; 削除フラグ 1 deletes it (agents.delete
 *   needed). A row without ID whose login ID is a user's, and equal to that user, is unchanged:
 *   uploading the same file twice changes nothing; different, it is a duplicate login ID.
 * - 権限 1 = the システム管理者 role, 0 = the エージェント role (the built-in roles).
 * - グループ: group names or IDs, `|`-separated; the user's groups become exactly those.
 * - パスワード: the server's rule (passwordProblems); on a change, empty keeps the password.
 * - The extension's phone (the terminal whose SIP user is the 内線番号) is made or linked to the
 *   user, with MOTパスワード as its SIP secret — or, when that is empty, the login password (A.6.3).
 * - メールアドレス is checked and not kept: agents have no e-mail address on this server.
 *
 * The agents service hashes passwords and the terminals service pushes the phone to Asterisk,
 * both awaiting: the rows are written one by one, each by the services' own transactions. No
 * password or secret is ever put in a report or a log.
 */
import { readFieldValue } from '../crm/formats/field-values.js';
import type {
  ApplyOutcome,
  CellProblem,
  ImportField,
  Importer,
  ImportOptions,
  MappedRow,
  RowByRowSession,
  RowReading,
} from '../imports/importer.js';
import type { Principal } from '../platform/http/auth.js';
import { HttpError } from '../platform/http/errors.js';
import type { SecretBox } from '../platform/secrets.js';
import type { GroupsService } from '../queues/groups-service.js';
import { readDeleteFlag } from '../queues/groups-importer.js';
import type { TerminalsService } from '../terminals/service.js';
import type { AgentPatch, AgentsService, AgentView } from './agents-service.js';
import { LOGIN_ID_PATTERN, passwordProblems, verifySecret } from './credentials.js';
import type { RolesService } from './roles-service.js';

const FIELDS: readonly ImportField[] = [
  { key: 'user_id', label: 'ユーザID', identifies: true },
  { key: 'name', label: 'ユーザ名', aliases: ['氏名'], required: true },
  { key: 'groups', label: 'グループ' },
  { key: 'login_id', label: 'ログインID', required: true },
  { key: 'role', label: '権限', required: true },
  { key: 'email', label: 'メールアドレス' },
  { key: 'extension', label: '内線番号', required: true },
  { key: 'password', label: 'パスワード', required: true },
  { key: 'mot_password', label: 'MOTパスワード', aliases: ['MOTPhoneパスワード'] },
  { key: 'deleted', label: '削除フラグ' },
];

const MAX_NAME = 64;
const EXTENSION = /^[0-9]{2,8}$/;
/** What a SIP secret may hold: printable ASCII, as Asterisk reads it from its config. */
const SIP_SECRET = /^[\x21-\x7e]{1,64}$/;

export interface UserImportValue {
  id: number | undefined;
  name: string;
  /** The groups named (undefined: the file has no グループ column). */
  groupIds: number[] | undefined;
  loginId: string;
  admin: boolean;
  extension: string;
  /** Empty: keep the user's (a new user must have one). */
  password: string;
  motPassword: string;
  deleted: boolean;
}

export interface AgentsImporterDeps {
  agents: AgentsService;
  roles: RolesService;
  groups: GroupsService;
  terminals: TerminalsService;
  secrets: SecretBox;
}

type Done = 'inserted' | 'updated' | 'unchanged';

/** A row refused by the write, with the manual-style message. */
class RowRefused extends Error {}

export function createAgentsImporter(deps: AgentsImporterDeps): Importer {
  const { agents, roles, groups, terminals, secrets } = deps;

  function readRow(row: MappedRow): RowReading<UserImportValue> {
    const problems: CellProblem[] = [];
    const bad = (label: string, message: string) =>
      problems.push({ column: null, message: `(${label}) ${message}` });
    const text = (key: string) => row.get(key)?.[0]?.text.trim() ?? '';
    // Passwords as given: a space may be part of one (the rule then refuses it).
    const raw = (key: string) => row.get(key)?.[0]?.text ?? '';

    const idText = text('user_id');
    let id: number | undefined;
    if (idText !== '') {
      if (/^[1-9][0-9]{0,9}$/.test(idText)) id = Number(idText);
      else bad('ユーザID', 'ユーザIDではありません');
    }
    const deleted = readDeleteFlag(row.get('deleted')?.[0]?.text);
    if (deleted === undefined) bad('削除フラグ', '0か1を書いてください');
    const name = text('name');
    if (name === '') bad('ユーザ名', '必須項目です');
    else if (name.length > MAX_NAME) bad('ユーザ名', `${MAX_NAME}文字までです`);
    const loginId = text('login_id');
    if (loginId === '') bad('ログインID', '必須項目です');
    else if (!LOGIN_ID_PATTERN.test(loginId)) bad('ログインID', '半角英数字3~15文字にしてください');
    const role = text('role');
    if (role !== '0' && role !== '1') bad('権限', '0(一般)か1(管理者)を書いてください');
    const extension = text('extension');
    if (extension === '') bad('内線番号', '必須項目です');
    else if (!EXTENSION.test(extension)) bad('内線番号', '半角数字2~8桁にしてください');
    const password = raw('password');
    if (password === '' && id === undefined && deleted !== true) bad('パスワード', '必須項目です');
    else if (password !== '' && passwordProblems(password).length > 0)
      bad('パスワード', '英大文字・英小文字・数字を含む8~128文字の半角英数記号にしてください');
    const motPassword = raw('mot_password');
    if (motPassword !== '' && !SIP_SECRET.test(motPassword))
      bad('MOTパスワード', '半角英数記号64文字までにしてください');
    const email = text('email');
    if (email !== '') {
      const reading = readFieldValue({ type: 'email', required: false, options: [] }, email);
      if (!reading.ok) bad('メールアドレス', 'メールアドレスではありません');
    }
    let groupIds: number[] | undefined;
    if (row.has('groups')) {
      groupIds = [];
      const all = groups.all();
      for (const part of text('groups')
        .split('|')
        .map((p) => p.trim())
        .filter((p) => p !== '')) {
        // A name first: a group may be named with digits; else its ID (the manual says both).
        const group =
          all.find((g) => g.name === part) ??
          (/^[0-9]+$/.test(part) ? all.find((g) => g.id === Number(part)) : undefined);
        if (group === undefined) bad('グループ', `未登録のグループです: ${part}`);
        else if (!groupIds.includes(group.id)) groupIds.push(group.id);
      }
    }
    if (problems.length > 0 || deleted === undefined) return { problems };
    return {
      value: {
        id,
        name,
        groupIds,
        loginId,
        admin: role === '1',
        extension,
        password,
        motPassword,
        deleted,
      },
    };
  }

  /** The agents service's refusals in the manual's manner; others as the service words them. */
  function messageOf(err: HttpError): string {
    switch (err.code) {
      case 'login_id_taken':
        return '(ログインID) 既に登録されているログインIDです';
      case 'extension_taken':
        return '(内線番号) 既に登録されている内線番号です';
      case 'extension_reserved':
        return '(内線番号) 特番のため使えません';
      case 'last_system_admin':
        return '(権限) 最後の管理者は変更・削除できません';
      case 'cannot_delete_self':
        return '(削除フラグ) 自分自身は削除できません';
      default:
        return err.message;
    }
  }

  function findByLogin(loginId: string): AgentView | undefined {
    const lower = loginId.toLowerCase();
    return agents
      .list({ limit: 5, offset: 0, loginId })
      .items.find((a) => a.loginId.toLowerCase() === lower);
  }

  /** Makes the user's groups exactly those named. Whether anything changed. */
  function syncGroups(agentId: number, wanted: readonly number[]): boolean {
    const current = groups.groupsOf(agentId).map((m) => m.groupId);
    for (const groupId of wanted)
      if (!current.includes(groupId)) groups.putMember(groupId, { agentId, skillLevel: 1 });
    for (const groupId of current)
      if (!wanted.includes(groupId)) groups.removeMember(groupId, agentId);
    return wanted.some((g) => !current.includes(g)) || current.some((g) => !wanted.includes(g));
  }

  /** The extension's phone, linked to the user, with the SIP secret. Whether anything changed. */
  async function syncPhone(
    agent: AgentView,
    secret: string | undefined,
    actor: string,
  ): Promise<boolean> {
    const extension = agent.extension;
    if (extension === null) return false;
    const phone = terminals.bySipUser(extension);
    if (phone === undefined) {
      if (secret === undefined) return false;
      await terminals.create(
        { sipUser: extension, name: agent.name, secret, agentId: agent.id },
        actor,
      );
      return true;
    }
    const sameSecret = secret === undefined || secrets.open(phone.secretSealed) === secret;
    if (sameSecret && phone.agentId === agent.id) return false;
    await terminals.update(phone.id, { agentId: agent.id, ...(!sameSecret && { secret }) }, actor);
    return true;
  }

  async function applyOne(
    v: UserImportValue,
    principal: Principal,
    roleIds: { admin: number; general: number },
  ): Promise<Done> {
    const actor = principal.actor;
    let current: AgentView | undefined;
    if (v.id !== undefined) {
      try {
        current = agents.get(v.id);
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 404)
          throw new RowRefused('ユーザIDが存在しません。');
        throw err;
      }
    }
    if (v.deleted) {
      if (current === undefined)
        throw new RowRefused('(ユーザID) 削除するユーザのユーザIDがありません');
      if (!principal.permissions.has('agents.delete'))
        throw new RowRefused('(削除フラグ) ユーザを削除する権限がありません');
      agents.remove(current.id, principal);
      return 'updated';
    }
    // The extension's phone may be another user's: it is not taken from them (checked before any
    // write, so a refused row leaves nothing behind).
    const self = current?.id ?? findByLogin(v.loginId)?.id;
    const extensionHolder = agents
      .list({ limit: 100, offset: 0, extension: v.extension })
      .items.find((a) => a.extension === v.extension);
    if (extensionHolder !== undefined && extensionHolder.id !== self)
      throw new RowRefused('(内線番号) 既に登録されている内線番号です');
    const phoneHolder = terminals.bySipUser(v.extension)?.agentId ?? null;
    if (phoneHolder !== null && phoneHolder !== self)
      throw new RowRefused('(内線番号) この内線番号の電話は他のユーザのものです');
    const roleId = v.admin ? roleIds.admin : roleIds.general;
    const secret =
      v.motPassword !== '' ? v.motPassword : v.password !== '' ? v.password : undefined;
    const byLogin = findByLogin(v.loginId);
    if (current === undefined && byLogin !== undefined) {
      // The same row uploaded again: that user, if the row changes nothing of it.
      const same =
        byLogin.name === v.name &&
        byLogin.extension === v.extension &&
        byLogin.roleId === roleId &&
        (v.groupIds === undefined ||
          sameSet(
            groups.groupsOf(byLogin.id).map((m) => m.groupId),
            v.groupIds,
          )) &&
        (v.password === '' || (await verifySecret(v.password, byLogin.passwordHash))) &&
        !phoneDiffers(byLogin, secret);
      if (same) return 'unchanged';
      throw new RowRefused('(ログインID) 既に登録されているログインIDです');
    }
    if (current === undefined) {
      const created = await agents.create(
        {
          loginId: v.loginId,
          name: v.name,
          nickname: v.name,
          extension: v.extension,
          password: v.password,
          roleId,
        },
        actor,
      );
      if (v.groupIds !== undefined) syncGroups(created.id, v.groupIds);
      await syncPhone(created, secret, actor);
      return 'inserted';
    }
    const patch: AgentPatch = {
      ...(current.name !== v.name && { name: v.name }),
      ...(current.loginId !== v.loginId && { loginId: v.loginId }),
      ...(current.extension !== v.extension && { extension: v.extension }),
      ...(current.roleId !== roleId && { roleId }),
    };
    if (v.password !== '' && !(await verifySecret(v.password, current.passwordHash)))
      patch.password = v.password;
    const saved =
      Object.keys(patch).length > 0 ? await agents.update(current.id, patch, principal) : current;
    const groupsChanged = v.groupIds === undefined ? false : syncGroups(saved.id, v.groupIds);
    const phoneChanged = await syncPhone(saved, secret, actor);
    return Object.keys(patch).length > 0 || groupsChanged || phoneChanged ? 'updated' : 'unchanged';
  }

  function phoneDiffers(agent: AgentView, secret: string | undefined): boolean {
    if (agent.extension === null) return false;
    const phone = terminals.bySipUser(agent.extension);
    if (phone === undefined) return secret !== undefined;
    return (
      phone.agentId !== agent.id ||
      (secret !== undefined && secrets.open(phone.secretSealed) !== secret)
    );
  }

  // No options of its own: those of other kinds are ignored.
  function begin(_raw: ImportOptions, principal: Principal): RowByRowSession<UserImportValue> {
    return {
      fields: () => FIELDS,
      readRow,
      applyRowByRow: async (rows) => {
        const outcome: ApplyOutcome = { inserted: 0, updated: 0, unchanged: 0, refused: [] };
        const roleIds = {
          admin: roles.builtInRoleId('system_admin'),
          general: roles.builtInRoleId('agent'),
        };
        for (const { row, value } of rows) {
          try {
            outcome[await applyOne(value, principal, roleIds)] += 1;
          } catch (err) {
            const message =
              err instanceof RowRefused
                ? err.message
                : err instanceof HttpError
                  ? messageOf(err)
                  : undefined;
            if (message === undefined) throw err;
            outcome.refused.push({ row, problems: [{ column: null, message }] });
          }
        }
        return outcome;
      },
    };
  }

  return { kind: 'mot_users', permission: 'agents.update', headerRequired: true, begin };
}

const sameSet = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x) => b.includes(x));
