/**
 * Reports benchmark: the group statistics (統計), agent status statistics (ステータス統計) and call
 * history endpoints over a quarter of a mid-size center, each next to a plain SQL query over the
 * same rows, in the same run.
 *
 *   npx tsx scripts/bench-reports.ts [--calls 1000000] [--days 90] [--groups 8] [--agents 120]
 *     [--runs 5] [--db path] [--keep] [--reuse]
 *
 * Seeding: a fresh SQLite file migrated by the project's migrations; the administrator, the
 * agents, custom statuses, groups with their members and one DID per group are created through
 * the application's services; then the queue log, the call history and the agent status log are
 * bulk-inserted with SQL from a deterministic simulation (seeded PRNG, fixed calendar starting
 * FIRST_DAY): calls arrive by a daytime profile in Asia/Tokyo, agents work shifts with breaks and
 * take a call when they are free (lowest skill level, then least recent), and every row is what
 * the ACD, the call engine and the status service write for such a call. `--keep` leaves the
 * file (and a `.bench.json` beside it saying what was seeded); `--db <that file> --reuse`
 * measures it again without seeding.
 *
 * Measuring: the real application (createServer, Asterisk configured but never connected)
 * listens on a local port in this process and is called over HTTP with fetch as the
 * administrator. Each request runs --runs times, each run next to its raw SQL on a separate
 * read-only connection in the same process (interleaved, so the machine's load hits both alike).
 * Wall time is measured from outside the handler: from the request until the whole body is read.
 * Around every request: the event loop's longest stall (perf_hooks.monitorEventLoopDelay — the
 * server runs in this process, so a handler that blocks shows here; the fetch client shares the
 * loop too) and this process's peak RSS (VmHWM, reset before the request). Each endpoint's
 * answer is reduced to what its raw SQL also computes and compared ("same rows"), so a baseline
 * that counts other rows than the endpoint shows up. Figures, not assertions.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { createAgentsService } from '../src/accounts/agents-service.js';
import { createAuthService } from '../src/accounts/auth-service.js';
import { createRolesService } from '../src/accounts/roles-service.js';
import { createCustomStatusesService } from '../src/agents/custom-statuses-service.js';
import type { BuiltInStatus } from '../src/agents/status.js';
import { loadConfig, type Config } from '../src/config.js';
import { createExtensionRegistry } from '../src/dialplan/extensions.js';
import { createPhoneNumbersService } from '../src/numbers/phone-numbers-service.js';
import type { Clock } from '../src/platform/clock.js';
import { migrateDatabase, openDatabase, type Database } from '../src/platform/db/client.js';
import { createLogger } from '../src/platform/logger.js';
import { createSessionWatch } from '../src/platform/http/session-watch.js';
import { createGroupsService } from '../src/queues/groups-service.js';
import type { QueueEventName } from '../src/queues/model.js';
import { createQueueLog } from '../src/queues/queue-log.js';
import { createServer, type Server } from '../src/server.js';
import { ADMIN_PASSWORD, testEnv } from '../test/support/app.js';
import { mulberry32 } from '../test/support/queue-fixtures.js';
import { percentile } from './bench-support.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const TIME_ZONE = 'Asia/Tokyo';
/** Asia/Tokyo keeps UTC+9 all year, so fixed-offset SQL buckets are exactly its days and hours. */
const ZONE_OFFSET_MS = 9 * HOUR_MS;
/** A Monday. Fixed, so that every run seeds the same rows whatever the date. */
const FIRST_DAY = '2025-01-06';
const PRNG_SEED = 20250106;

const GOAL_RATIO = 3;
const GOAL_MS = 300;
const GOAL_STALL_MS = 50;
const GOAL_RSS_MB = 400;
/** monitorEventLoopDelay's sampling interval; its samples include it, so it is subtracted. */
const LOOP_RESOLUTION_MS = 10;

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  calls: number;
  days: number;
  groups: number;
  agents: number;
  runs: number;
  db: string | undefined;
  keep: boolean;
  reuse: boolean;
  /** Internal: the child process that seeds (see seedInChild). */
  seedOnly: boolean;
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      groups: { type: 'string', default: '8' },
      agents: { type: 'string', default: '120' },
      runs: { type: 'string', default: '5' },
      db: { type: 'string' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      'seed-only': { type: 'boolean', default: false },
    },
  });
  const options: Options = {
    calls: positiveInteger('calls', values.calls),
    days: positiveInteger('days', values.days),
    groups: positiveInteger('groups', values.groups),
    agents: positiveInteger('agents', values.agents),
    runs: positiveInteger('runs', values.runs),
    db: values.db === undefined ? undefined : resolve(values.db),
    keep: values.keep,
    reuse: values.reuse,
    seedOnly: values['seed-only'],
  };
  if (options.agents < options.groups) throw new Error('--agents must be at least --groups');
  if (options.reuse && options.db === undefined) throw new Error('--reuse needs --db');
  return options;
}

// ---------------------------------------------------------------------------------------------
// Calendar and the center's rhythm

const FIRST_DAY_START = Date.parse(`${FIRST_DAY}T00:00:00Z`) - ZONE_OFFSET_MS;

/** The first instant of day `day` (0 = FIRST_DAY) in Asia/Tokyo. */
function dayStart(day: number): number {
  return FIRST_DAY_START + day * DAY_MS;
}

/** YYYY-MM-DD of day `day`. */
function dateOf(day: number): string {
  return new Date(dayStart(day) + ZONE_OFFSET_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday (FIRST_DAY is a Monday). */
function weekdayOf(day: number): number {
  return day % 7;
}

/** Calls per day relative to a Tuesday, Monday first: Mondays busiest, weekends quiet. */
const DAY_WEIGHTS = [1.15, 1, 1, 1, 1.05, 0.45, 0.3] as const;
/** Calls per local hour: the line is open 08–21, busiest 10–11 and 14–15. */
const HOUR_WEIGHTS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0.35, 1, 1.25, 1.15, 0.75, 1, 1.1, 1, 0.9, 0.8, 0.45, 0.25, 0.15, 0, 0, 0,
] as const;
/** Share of the agents at work, Monday first: most on weekdays, a skeleton crew at weekends. */
const ATTENDANCE = [0.92, 0.92, 0.92, 0.92, 0.92, 0.5, 0.38] as const;

type ShiftKind = 'early' | 'mid' | 'late';
/** Local hours: the shift, its two short breaks (first possible start) and its lunch. */
const SHIFTS: Record<ShiftKind, { start: number; end: number; breaks: number[]; lunch: number }> = {
  early: { start: 8, end: 17, breaks: [10, 15], lunch: 11.5 },
  mid: { start: 9, end: 18, breaks: [10.75, 15.75], lunch: 12.5 },
  late: { start: 12, end: 21, breaks: [14, 19], lunch: 16 },
};

/** Four agents in ten start early, three mid-morning, three cover the evening. */
function shiftOf(agentIndex: number): ShiftKind {
  const slot = agentIndex % 10;
  return slot < 4 ? 'early' : slot < 7 ? 'mid' : 'late';
}

/** Calls on each day, in proportion to DAY_WEIGHTS, summing exactly to `calls`. */
function callsPerDay(calls: number, days: number): number[] {
  const weights = Array.from({ length: days }, (_, d) => DAY_WEIGHTS[weekdayOf(d)] ?? 1);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const counts: number[] = [];
  let cumulative = 0;
  let placed = 0;
  for (const w of weights) {
    cumulative += w;
    const upTo = Math.round((calls * cumulative) / total);
    counts.push(upTo - placed);
    placed = upTo;
  }
  return counts;
}

/** Group g's share of the calls: a few busy lines and a tail of small ones. */
function groupWeights(groups: number): number[] {
  const raw = Array.from({ length: groups }, (_, g) => 1 / (g + 2));
  const total = raw.reduce((sum, w) => sum + w, 0);
  return raw.map((w) => w / total);
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

type Random = () => number;

function uniform(rng: Random, low: number, high: number): number {
  return low + (high - low) * rng();
}

function exponential(rng: Random, mean: number): number {
  return -mean * Math.log(1 - rng());
}

function standardNormal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Index into cumulative weights (ascending, last = total). */
function pickWeighted(rng: Random, cumulative: readonly number[]): number {
  const total = cumulative[cumulative.length - 1] ?? 0;
  const x = rng() * total;
  const index = cumulative.findIndex((c) => x < c);
  return index < 0 ? cumulative.length - 1 : index;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0').slice(-digits);
}

/** A version-4 UUID from the PRNG (the API validates call ids as UUIDs). */
function uuidFrom(rng: Random): string {
  const word = () => Math.floor(rng() * 0x1_0000_0000);
  const [a, b, c, d] = [word(), word(), word(), word()];
  return (
    `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-` +
    `${hex(8 | ((c >>> 28) & 3), 1)}${hex(c & 0xfff, 3)}-${hex(c >>> 12, 4)}${hex(d, 8)}`
  );
}

/** A 32-bit integer hash, so a customer's number follows from their index alone. */
function hash32(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Mobile numbers (11 digits) and landlines of Tokyo, Osaka, Yokohama, Nagoya (10). */
const NUMBER_FORMATS: readonly [string, number][] = [
  ['090', 8],
  ['080', 8],
  ['070', 8],
  ['090', 8],
  ['080', 8],
  ['090', 8],
  ['03', 8],
  ['06', 8],
  ['045', 7],
  ['052', 7],
];

/** Customer `index`'s phone number. */
function customerNumber(index: number): string {
  const [prefix, digits] = NUMBER_FORMATS[index % NUMBER_FORMATS.length] ?? ['090', 8];
  return prefix + String(hash32(index) % 10 ** digits).padStart(digits, '0');
}

/** Which customer calls: a few call very often, most once or twice a quarter. */
function pickCustomer(rng: Random, pool: number): number {
  return Math.floor(pool * rng() ** 2);
}

/** The party searched for: the first seven digits of a frequent caller's mobile number. */
function partySearch(): string {
  return customerNumber(3).slice(0, 7);
}

// ---------------------------------------------------------------------------------------------
// The center, created through the application's services

/** Custom statuses after seed 001 (MOT/CallCenter operator statuses). */
const STATUSES = {
  login: { name: '準備中', icon: 'hourglass', onLogin: true, sortOrder: 10 },
  acw: { name: '後処理', icon: 'edit', afterCall: true, afterCallSeconds: 60, sortOrder: 20 },
  shortBreak: { name: '小休憩', icon: 'coffee', toggle: 'previous', sortOrder: 30 },
  lunch: { name: '昼休憩', icon: 'utensils', toggle: 'login_status', sortOrder: 40 },
  otherWork: { name: '他業務', icon: 'briefcase', sortOrder: 50 },
} as const;
type StatusIds = Record<keyof typeof STATUSES, number>;

const GROUP_NAMES = ['受注', 'サポート', '請求', '解約', '法人', '技術', '予約', '総合'];
const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'];
const GIVEN_NAMES = [
  '花子',
  '一郎',
  '美咲',
  '健太',
  '陽子',
  '翔太',
  '由美',
  '大輔',
  '直子',
  '拓也',
];

interface CenterGroup {
  id: number;
  weight: number;
  did: string;
  phoneNumberId: number;
  ringSeconds: number;
  timeoutSeconds: number;
  maxWaiting: number;
  /** 0: the group has no after-call status. */
  acwSeconds: number;
  members: { agentId: number; level: number }[];
}

interface CenterAgent {
  id: number;
  index: number;
  shift: ShiftKind;
}

interface Center {
  groups: CenterGroup[];
  agents: CenterAgent[];
  statuses: StatusIds;
}

function createStatuses(database: Database, clock: Clock): StatusIds {
  const service = createCustomStatusesService(database.db, clock);
  const id = (key: keyof typeof STATUSES) => service.create(STATUSES[key], 'bench').id;
  return {
    login: id('login'),
    acw: id('acw'),
    shortBreak: id('shortBreak'),
    lunch: id('lunch'),
    otherWork: id('otherWork'),
  };
}

/** The administrator (as the server's first start would) and the operators. */
async function createAgents(
  database: Database,
  clock: Clock,
  config: Config,
  count: number,
): Promise<CenterAgent[]> {
  // Offline: no open sessions to tell about changes.
  const sessions = createSessionWatch();
  const roles = createRolesService(database.db, clock, sessions);
  roles.ensureBuiltInRoles();
  await createAuthService(database.db, clock, config.auth, roles, sessions).ensureInitialAdmin({
    loginId: config.admin.loginId,
    password: ADMIN_PASSWORD,
  });
  const service = createAgentsService(database.db, clock, createExtensionRegistry(), sessions);
  const roleId = roles.builtInRoleId('agent');
  // One after the other: created at once, they would get their ids in the order their password
  // hashes finish, and the seeded rows would differ from run to run.
  const created: CenterAgent[] = [];
  for (let index = 0; index < count; index++) {
    const surname = SURNAMES[index % SURNAMES.length] ?? '佐藤';
    const given = GIVEN_NAMES[Math.floor(index / SURNAMES.length) % GIVEN_NAMES.length] ?? '花子';
    const agent = await service.create(
      {
        loginId: `op${String(index + 1).padStart(3, '0')}`,
        name: `${surname} ${given}`,
        nickname: `${surname}${index + 1}`,
        extension: String(2000 + index + 1),
        password: 'Operator123',
        roleId,
      },
      'bench',
    );
    created.push({ id: agent.id, index, shift: shiftOf(index) });
  }
  return created;
}

interface Membership {
  agentId: number;
  level: number;
}

/**
 * Each agent's main group, in blocks sized by the groups' call shares (at least one agent each),
 * and for two agents in five a second group at skill level 2 (the next one), so busy groups
 * borrow from quiet ones.
 */
function memberships(agents: readonly CenterAgent[], weights: readonly number[]): Membership[][] {
  const sizes = weights.map((w) => Math.max(1, Math.round(w * agents.length)));
  const members: Membership[][] = weights.map(() => []);
  let group = 0;
  let filled = 0;
  for (const agent of agents) {
    // The last group takes whoever is left, however the rounding went.
    while (filled >= (sizes[group] ?? 0) && group < weights.length - 1) {
      group += 1;
      filled = 0;
    }
    filled += 1;
    members[group]?.push({ agentId: agent.id, level: 1 });
    if (weights.length > 1 && agent.index % 5 < 2)
      members[(group + 1) % weights.length]?.push({ agentId: agent.id, level: 2 });
  }
  return members;
}

async function createCenter(
  database: Database,
  clock: Clock,
  config: Config,
  options: Options,
): Promise<Center> {
  const statuses = createStatuses(database, clock);
  const agents = await createAgents(database, clock, config, options.agents);
  const extensions = createExtensionRegistry();
  const groupsService = createGroupsService(
    database.db,
    clock,
    extensions,
    createQueueLog(database.db, clock),
  );
  const numbers = createPhoneNumbersService(database.db, clock);
  const weights = groupWeights(options.groups);
  const members = memberships(agents, weights);
  const groups = weights.map((weight, g): CenterGroup => {
    // One group in four works without an after-call status, as some lines do.
    const acwSeconds = g % 4 === 3 ? 0 : 60;
    const groupMembers = members[g] ?? [];
    const group = groupsService.create(
      {
        name: GROUP_NAMES[g] ?? `グループ${g + 1}`,
        extension: String(800 + g),
        strategy: 'least_recent',
        maxWaiting: 10,
        timeoutSeconds: 180,
        ringSeconds: 15,
        acwStatusId: acwSeconds > 0 ? statuses.acw : null,
        acwSeconds,
        members: groupMembers.map((m) => ({ agentId: m.agentId, skillLevel: m.level })),
      },
      'bench',
    );
    const did = `0312345${String(600 + g).padStart(3, '0')}`;
    const number = numbers.create(
      { number: did, name: `${group.name} 代表`, route: { type: 'group', groupId: group.id } },
      'bench',
    );
    return {
      id: group.id,
      weight,
      did,
      phoneNumberId: number.id,
      ringSeconds: group.ringSeconds,
      timeoutSeconds: group.timeoutSeconds,
      maxWaiting: group.maxWaiting,
      acwSeconds,
      members: groupMembers.sort((a, b) => a.level - b.level),
    };
  });
  return { groups, agents, statuses };
}

// ---------------------------------------------------------------------------------------------
// Bulk loading

interface QueueRow {
  at: number;
  seq: number;
  callId: string;
  groupId: number;
  agentId: number | null;
  event: QueueEventName;
  data: string;
}

interface StatusRow {
  agentId: number;
  status: BuiltInStatus;
  customStatusId: number | null;
  startedAt: number;
  endedAt: number;
}

interface HistoryRow {
  callId: string;
  type: 'inbound' | 'inbound_missed';
  fromNumber: string;
  toNumber: string;
  phoneNumberId: number;
  agentId: number | null;
  groupId: number;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  talkSeconds: number;
  endReason: 'completed' | 'cancelled' | 'busy';
  hangupCause: number;
  recordingName: string | null;
}

interface RowCounts {
  queueLog: number;
  callHistory: number;
  statusLog: number;
}

/** Buffers a day's rows and writes them in time order, in one transaction per flush. */
interface Loader {
  queue(row: Omit<QueueRow, 'seq'>): void;
  status(row: StatusRow): void;
  history(row: HistoryRow): void;
  /** Writes the rows that start before `before`; later ones wait for the next flush. */
  flush(before: number): void;
  counts(): RowCounts;
}

function createLoader(sqlite: BetterSqlite3.Database): Loader {
  const insertQueue = sqlite.prepare(
    'INSERT INTO queue_log (at, call_id, group_id, agent_id, event, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertStatus = sqlite.prepare(
    'INSERT INTO agent_status_log (agent_id, status, custom_status_id, started_at, ended_at) ' +
      'VALUES (?, ?, ?, ?, ?)',
  );
  const insertHistory = sqlite.prepare(
    'INSERT INTO call_history (call_id, direction, type, from_number, from_name, to_number, ' +
      'our_number, phone_number_id, agent_id, callee_agent_id, group_id, started_at, answered_at, ' +
      'ended_at, talk_seconds, end_reason, hangup_cause, recording_name) ' +
      "VALUES (?, 'inbound', ?, ?, '', ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  let queueRows: QueueRow[] = [];
  let statusRows: StatusRow[] = [];
  let historyRows: HistoryRow[] = [];
  let seq = 0;
  const counts: RowCounts = { queueLog: 0, callHistory: 0, statusLog: 0 };

  const write = sqlite.transaction(
    (queue: QueueRow[], statuses: StatusRow[], history: HistoryRow[]) => {
      for (const r of history) {
        insertHistory.run(
          r.callId,
          r.type,
          r.fromNumber,
          r.toNumber,
          r.toNumber,
          r.phoneNumberId,
          r.agentId,
          r.groupId,
          r.startedAt,
          r.answeredAt,
          r.endedAt,
          r.talkSeconds,
          r.endReason,
          r.hangupCause,
          r.recordingName,
        );
      }
      for (const r of queue) insertQueue.run(r.at, r.callId, r.groupId, r.agentId, r.event, r.data);
      for (const r of statuses)
        insertStatus.run(r.agentId, r.status, r.customStatusId, r.startedAt, r.endedAt);
    },
  );

  return {
    queue: (row) => queueRows.push({ ...row, seq: seq++ }),
    status: (row) => statusRows.push(row),
    history: (row) => historyRows.push(row),
    flush(before) {
      // The application appends each row when its event happens: ids follow time.
      const queueDue = queueRows
        .filter((r) => r.at < before)
        .sort((a, b) => a.at - b.at || a.seq - b.seq);
      const statusDue = statusRows
        .filter((r) => r.startedAt < before)
        .sort((a, b) => a.startedAt - b.startedAt);
      queueRows = queueRows.filter((r) => r.at >= before);
      statusRows = statusRows.filter((r) => r.startedAt >= before);
      write(queueDue, statusDue, historyRows);
      counts.queueLog += queueDue.length;
      counts.statusLog += statusDue.length;
      counts.callHistory += historyRows.length;
      historyRows = [];
    },
    counts: () => ({ ...counts }),
  };
}

const LOADED_TABLES = ['queue_log', 'call_history', 'agent_status_log'];

/**
 * Runs `load` with the loaded tables' indexes dropped, then recreates them from their own
 * definitions (sqlite_master): building an index once is far faster than growing it row by row,
 * and the schema stays exactly the migrations'.
 */
function withoutIndexes(sqlite: BetterSqlite3.Database, load: () => void): { indexMs: number } {
  const indexes = sqlite
    .prepare<unknown[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ` +
        `AND tbl_name IN (${LOADED_TABLES.map(() => '?').join(', ')})`,
    )
    .all(...LOADED_TABLES);
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);
  load();
  const started = performance.now();
  for (const index of indexes) sqlite.exec(index.sql);
  return { indexMs: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// The simulation: calls, agents and what the application logs for them

type Outcome = 'answered' | 'abandoned' | 'timed_out' | 'overflow';
type OutcomeCounts = Record<Outcome, number>;

/** The greeting a caller hears before the call may ring an agent. */
const GREETING_MS = 2 * SECOND_MS;
/** How often a waiting call looks for a free agent again. */
const RETRY_MS = 5 * SECOND_MS;

interface PlannedBreak {
  start: number;
  ms: number;
  statusId: number;
}

interface SimAgent {
  id: number;
  index: number;
  shift: ShiftKind;
  /** End of the agent's last logged interval: the log is contiguous up to here. */
  loggedAt: number;
  /** When the agent can take the next call (after a call, its ACW, or a break). */
  freeAt: number;
  /** Today's shift end while the agent is at work; null when off. */
  shiftEnd: number | null;
  breaks: PlannedBreak[];
  nextBreak: number;
}

interface SimGroup {
  group: CenterGroup;
  members: { agent: SimAgent; level: number }[];
  /** When the calls now in the line leave it (for ENTERQUEUE's position). */
  leaving: number[];
}

interface Simulation {
  runDay(day: number, calls: number): void;
  /** Closes every agent's log at the end of the range. */
  finish(end: number): void;
  outcomes(): OutcomeCounts;
}

function createSimulation(center: Center, calls: number, rng: Random, loader: Loader): Simulation {
  const agents = center.agents.map((a): SimAgent => ({
    ...a,
    loggedAt: dayStart(0),
    freeAt: dayStart(0),
    shiftEnd: null,
    breaks: [],
    nextBreak: 0,
  }));
  const byId = new Map(agents.map((a) => [a.id, a]));
  const groups = center.groups.map((group): SimGroup => ({
    group,
    members: group.members.flatMap((m) => {
      const agent = byId.get(m.agentId);
      return agent === undefined ? [] : [{ agent, level: m.level }];
    }),
    leaving: [],
  }));
  const groupCumulative = cumulate(center.groups.map((g) => g.weight));
  const hourCumulative = cumulate(HOUR_WEIGHTS);
  const customers = Math.max(1000, Math.round(calls / 4));
  const outcomes: OutcomeCounts = { answered: 0, abandoned: 0, timed_out: 0, overflow: 0 };

  /** Logs an interval; the time since the agent's last one, if any, was spent available. */
  function log(
    agent: SimAgent,
    status: BuiltInStatus,
    customStatusId: number | null,
    start: number,
    end: number,
  ): void {
    if (start < agent.loggedAt) throw new Error(`agent ${agent.id}: overlapping status intervals`);
    if (start > agent.loggedAt) {
      loader.status({
        agentId: agent.id,
        status: 'available',
        customStatusId: null,
        startedAt: agent.loggedAt,
        endedAt: start,
      });
    }
    loader.status({ agentId: agent.id, status, customStatusId, startedAt: start, endedAt: end });
    agent.loggedAt = end;
  }

  function planBreaks(agent: SimAgent, start: number, shift: (typeof SHIFTS)[ShiftKind]): void {
    const at = (hour: number) => start + hour * HOUR_MS;
    const breaks: PlannedBreak[] = shift.breaks.map((hour) => ({
      start: Math.round(at(hour) + uniform(rng, 0, 45) * MINUTE_MS),
      ms: Math.round(uniform(rng, 10, 15) * MINUTE_MS),
      statusId: center.statuses.shortBreak,
    }));
    breaks.push({
      start: at(shift.lunch + (agent.index % 3) * 0.5),
      ms: HOUR_MS,
      statusId: center.statuses.lunch,
    });
    if (rng() < 0.25) {
      breaks.push({
        start: Math.round(at(shift.start + 2) + uniform(rng, 0, 4) * HOUR_MS),
        ms: Math.round(uniform(rng, 20, 60) * MINUTE_MS),
        statusId: center.statuses.otherWork,
      });
    }
    agent.breaks = breaks.sort((a, b) => a.start - b.start);
    agent.nextBreak = 0;
  }

  /** Today's attendance: who logs in (offline until then, then 準備中 for a few minutes). */
  function startShifts(day: number): SimAgent[] {
    const start = dayStart(day);
    const attendance = ATTENDANCE[weekdayOf(day)] ?? 1;
    const working = agents.filter(() => rng() < attendance);
    for (const agent of working) {
      const shift = SHIFTS[agent.shift];
      const login = Math.round(start + shift.start * HOUR_MS + uniform(rng, -3, 3) * MINUTE_MS);
      const ready = login + Math.round(uniform(rng, 1, 5) * MINUTE_MS);
      log(agent, 'offline', null, agent.loggedAt, login);
      log(agent, 'paused', center.statuses.login, login, ready);
      agent.freeAt = ready;
      agent.shiftEnd = Math.round(start + shift.end * HOUR_MS + uniform(rng, 0, 5) * MINUTE_MS);
      planBreaks(agent, start, shift);
    }
    return working;
  }

  /** Takes the breaks due by `t`: each starts at its time, or when the agent is next free. */
  function takeBreaks(agent: SimAgent, t: number): void {
    for (;;) {
      const next = agent.breaks[agent.nextBreak];
      if (next === undefined || agent.shiftEnd === null) return;
      const start = Math.max(next.start, agent.freeAt);
      if (start > t) return;
      agent.nextBreak += 1;
      if (start >= agent.shiftEnd) continue;
      log(agent, 'paused', next.statusId, start, start + next.ms);
      agent.freeAt = start + next.ms;
    }
  }

  function endShift(agent: SimAgent): void {
    if (agent.shiftEnd === null) return;
    takeBreaks(agent, agent.shiftEnd);
    const end = Math.max(agent.shiftEnd, agent.freeAt);
    if (end > agent.loggedAt) log(agent, 'available', null, agent.loggedAt, end);
    agent.freeAt = end;
    agent.shiftEnd = null;
  }

  /** The free member the group rings at `t`: the lowest skill level, then the least recent. */
  function pickAgent(group: SimGroup, t: number, skip: readonly number[]): SimAgent | undefined {
    let best: SimAgent | undefined;
    let bestLevel = Infinity;
    for (const { agent, level } of group.members) {
      if (level > bestLevel) break;
      if (skip.includes(agent.id)) continue;
      takeBreaks(agent, t);
      if (agent.shiftEnd === null || t < agent.freeAt || t >= agent.shiftEnd) continue;
      if (best === undefined || agent.freeAt < best.freeAt) {
        best = agent;
        bestLevel = level;
      }
    }
    return best;
  }

  /** The caller's place on joining the line. */
  function positionOf(group: SimGroup, at: number): number {
    group.leaving = group.leaving.filter((t) => t > at);
    return group.leaving.length + 1;
  }

  function drawOutcome(): Outcome {
    const u = rng();
    // A little above 80 % answered: calls that find no free agent before the timeout time out.
    return u < 0.825 ? 'answered' : u < 0.945 ? 'abandoned' : u < 0.975 ? 'timed_out' : 'overflow';
  }

  /** How many agents ring the call without answering before it ends one way or another. */
  function unansweredRings(outcome: Outcome): number {
    const u = rng();
    if (outcome === 'answered') return u < 0.12 ? 1 : u < 0.14 ? 2 : 0;
    return u < (outcome === 'abandoned' ? 0.25 : 0.3) ? 1 : 0;
  }

  /** Talk seconds: log-normal, median 90 s (mean about 2 min), a long tail of complicated calls. */
  function talkSeconds(): number {
    return Math.round(Math.min(3600, Math.max(5, 90 * Math.exp(0.8 * standardNormal(rng)))));
  }

  interface Arrival {
    at: number;
    callId: string;
    group: SimGroup;
    from: string;
  }

  function historyOf(
    call: Arrival,
    fields: Pick<HistoryRow, 'agentId' | 'answeredAt' | 'endedAt' | 'talkSeconds'> &
      Pick<HistoryRow, 'endReason' | 'hangupCause'>,
  ): HistoryRow {
    return {
      callId: call.callId,
      type: fields.answeredAt === null ? 'inbound_missed' : 'inbound',
      fromNumber: call.from,
      toNumber: call.group.group.did,
      phoneNumberId: call.group.group.phoneNumberId,
      groupId: call.group.group.id,
      startedAt: call.at,
      recordingName: fields.answeredAt === null ? null : `call-${call.callId}`,
      ...fields,
    };
  }

  function overflow(call: Arrival): void {
    const g = call.group.group;
    loader.queue({
      at: call.at,
      callId: call.callId,
      groupId: g.id,
      agentId: null,
      event: 'EXITFULL',
      data: `${g.maxWaiting}|${g.maxWaiting}`,
    });
    loader.history(
      historyOf(call, {
        agentId: null,
        answeredAt: null,
        endedAt: call.at + SECOND_MS,
        talkSeconds: 0,
        endReason: 'busy',
        hangupCause: 17,
      }),
    );
  }

  /** The caller hangs up, or the group's timeout sends the call away: ABANDON / EXITWITHTIMEOUT. */
  function unanswered(
    call: Arrival,
    event: 'ABANDON' | 'EXITWITHTIMEOUT',
    leaveAt: number,
    position: number,
  ): void {
    const waitSeconds = Math.round((leaveAt - call.at) / SECOND_MS);
    const left = 1 + Math.floor(rng() * position);
    loader.queue({
      at: leaveAt,
      callId: call.callId,
      groupId: call.group.group.id,
      agentId: null,
      event,
      data: `${left}|${position}|${waitSeconds}`,
    });
    loader.history(
      historyOf(call, {
        agentId: null,
        answeredAt: null,
        endedAt: leaveAt,
        talkSeconds: 0,
        // A timed-out call goes to the group's timeout route: none here, so busy.
        endReason: event === 'ABANDON' ? 'cancelled' : 'busy',
        hangupCause: event === 'ABANDON' ? 16 : 17,
      }),
    );
  }

  /** Rings, talk (sometimes a hold), ACW; CONNECT and COMPLETE*; the history row. */
  function answered(
    call: Arrival,
    agent: SimAgent,
    ringStart: number,
    answerAt: number,
    position: number,
    attempt: number,
  ): void {
    const g = call.group.group;
    const waitSeconds = Math.round((answerAt - call.at) / SECOND_MS);
    const talk = talkSeconds();
    const end = answerAt + talk * SECOND_MS;
    loader.queue({
      at: answerAt,
      callId: call.callId,
      groupId: g.id,
      agentId: agent.id,
      event: 'CONNECT',
      data: `${waitSeconds}|${call.callId}-${attempt + 2}|${Math.round((answerAt - ringStart) / SECOND_MS)}`,
    });
    log(agent, 'ringing', null, ringStart, answerAt);
    if (talk > 60 && rng() < 0.03) {
      const holdStart = answerAt + Math.round(talk * uniform(rng, 0.2, 0.6) * SECOND_MS);
      const holdEnd =
        holdStart + Math.round(Math.min(uniform(rng, 20, 90), talk * 0.3) * SECOND_MS);
      log(agent, 'on_call', null, answerAt, holdStart);
      log(agent, 'on_hold', null, holdStart, holdEnd);
      log(agent, 'on_call', null, holdEnd, end);
    } else {
      log(agent, 'on_call', null, answerAt, end);
    }
    agent.freeAt = end;
    if (g.acwSeconds > 0) {
      // Most let the ACW time run out; some make themselves available sooner.
      const acw = rng() < 0.7 ? g.acwSeconds : uniform(rng, 5, g.acwSeconds);
      agent.freeAt = end + Math.round(acw * SECOND_MS);
      log(agent, 'paused', center.statuses.acw, end, agent.freeAt);
    }
    loader.queue({
      at: end,
      callId: call.callId,
      groupId: g.id,
      agentId: agent.id,
      event: rng() < 0.55 ? 'COMPLETECALLER' : 'COMPLETEAGENT',
      data: `${waitSeconds}|${talk}|${position}`,
    });
    loader.history(
      historyOf(call, {
        agentId: agent.id,
        answeredAt: answerAt,
        endedAt: end,
        talkSeconds: talk,
        endReason: 'completed',
        hangupCause: 16,
      }),
    );
  }

  function placeCall(call: Arrival): void {
    const outcome = drawOutcome();
    const { group } = call;
    const g = group.group;
    if (outcome === 'overflow') {
      outcomes.overflow += 1;
      overflow(call);
      return;
    }
    const position = positionOf(group, call.at);
    loader.queue({
      at: call.at,
      callId: call.callId,
      groupId: g.id,
      agentId: null,
      event: 'ENTERQUEUE',
      data: `|${call.from}|${position}`,
    });
    const deadline = call.at + g.timeoutSeconds * SECOND_MS;
    const patience =
      outcome === 'abandoned'
        ? Math.min(
            deadline - SECOND_MS,
            call.at + Math.round((3 + exponential(rng, 30)) * SECOND_MS),
          )
        : deadline;
    const ringMs = g.ringSeconds * SECOND_MS;
    const rungOut: number[] = [];
    let t = call.at + GREETING_MS;
    for (let i = unansweredRings(outcome); i > 0 && t + ringMs < patience; i--) {
      const agent = pickAgent(group, t, rungOut);
      if (agent === undefined) break;
      log(agent, 'ringing', null, t, t + ringMs);
      agent.freeAt = t + ringMs;
      rungOut.push(agent.id);
      t += ringMs;
      loader.queue({
        at: t,
        callId: call.callId,
        groupId: g.id,
        agentId: agent.id,
        event: 'RINGNOANSWER',
        data: String(ringMs),
      });
    }
    if (outcome === 'answered') {
      for (; t < deadline; t += RETRY_MS) {
        const agent = pickAgent(group, t, rungOut);
        if (agent === undefined) continue;
        const answerAt = t + Math.round(uniform(rng, 2, 8) * SECOND_MS);
        if (answerAt >= deadline) break;
        outcomes.answered += 1;
        group.leaving.push(answerAt);
        answered(call, agent, t, answerAt, position, rungOut.length);
        return;
      }
    }
    const leaveAt = outcome === 'abandoned' ? patience : deadline;
    outcomes[outcome === 'abandoned' ? 'abandoned' : 'timed_out'] += 1;
    group.leaving.push(leaveAt);
    unanswered(call, outcome === 'abandoned' ? 'ABANDON' : 'EXITWITHTIMEOUT', leaveAt, position);
  }

  function arrivals(day: number, count: number): Arrival[] {
    const start = dayStart(day);
    const list = Array.from({ length: count }, (): Arrival => {
      const hour = pickWeighted(rng, hourCumulative);
      const group = groups[pickWeighted(rng, groupCumulative)] ?? groups[0];
      if (group === undefined) throw new Error('no groups');
      return {
        at: start + hour * HOUR_MS + Math.floor(rng() * HOUR_MS),
        callId: uuidFrom(rng),
        group,
        from: customerNumber(pickCustomer(rng, customers)),
      };
    });
    return list.sort((a, b) => a.at - b.at);
  }

  return {
    runDay(day, count) {
      const working = startShifts(day);
      for (const call of arrivals(day, count)) placeCall(call);
      for (const agent of working) endShift(agent);
      loader.flush(dayStart(day + 1));
    },
    finish(end) {
      for (const agent of agents) {
        if (end > agent.loggedAt) log(agent, 'offline', null, agent.loggedAt, end);
      }
      loader.flush(Infinity);
    },
    outcomes: () => ({ ...outcomes }),
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding, and what it leaves beside the database for --reuse

interface Targets {
  /** The busiest group: "1 group" in the requests. */
  groupId: number;
  /** Its first level-1 member. */
  agentId: number;
  party: string;
}

interface SeedRecord {
  params: { calls: number; days: number; groups: number; agents: number };
  counts: RowCounts;
  outcomes: OutcomeCounts;
  seconds: { accounts: number; rows: number; indexes: number; rollups: number; total: number };
  targets: Targets;
}

function recordPath(dbPath: string): string {
  return `${dbPath}.bench.json`;
}

/** Creates and fills the database; the setup is dated the day before the first call. */
async function seed(dbPath: string, config: Config, options: Options): Promise<SeedRecord> {
  const started = performance.now();
  const database = openDatabase(dbPath);
  try {
    migrateDatabase(database);
    const setupAt = new Date(dayStart(0) - DAY_MS);
    const clock: Clock = {
      now: () => new Date(setupAt),
      setTimeout: () => ({ id: null }),
      clearTimeout: () => undefined,
    };
    const center = await createCenter(database, clock, config, options);
    const accountsDone = performance.now();

    const { sqlite } = database;
    // The rows are consistent by construction and the file is new: no need for the safety nets.
    sqlite.pragma('foreign_keys = OFF');
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -262144');
    const loader = createLoader(sqlite);
    const simulation = createSimulation(center, options.calls, mulberry32(PRNG_SEED), loader);
    let rowsMs = 0;
    const { indexMs } = withoutIndexes(sqlite, () => {
      const load = performance.now();
      callsPerDay(options.calls, options.days).forEach((calls, day) =>
        simulation.runDay(day, calls),
      );
      simulation.finish(dayStart(options.days));
      rowsMs = performance.now() - load;
    });
    sqlite.pragma('journal_mode = WAL');
    // The report rollups a server keeps as it logs: built here from the rows loaded directly, as
    // a server does once at its first start after the upgrade that brought them — so that the
    // measured server starts as one that has been running with them all along.
    const rollupsStart = performance.now();
    createQueueLog(database.db, clock).catchUpRollups();
    const rollupsMs = performance.now() - rollupsStart;

    const busiest = center.groups[0];
    const agentId = busiest?.members.find((m) => m.level === 1)?.agentId;
    if (busiest === undefined || agentId === undefined) throw new Error('no busy group');
    return {
      params: {
        calls: options.calls,
        days: options.days,
        groups: options.groups,
        agents: options.agents,
      },
      counts: loader.counts(),
      outcomes: simulation.outcomes(),
      seconds: {
        accounts: (accountsDone - started) / 1000,
        rows: rowsMs / 1000,
        indexes: indexMs / 1000,
        rollups: rollupsMs / 1000,
        total: (performance.now() - started) / 1000,
      },
      targets: { groupId: busiest.id, agentId, party: partySearch() },
    };
  } finally {
    database.close();
  }
}

const seedRecordSchema = z.object({
  params: z.object({ calls: z.number(), days: z.number(), groups: z.number(), agents: z.number() }),
  counts: z.object({ queueLog: z.number(), callHistory: z.number(), statusLog: z.number() }),
  outcomes: z.object({
    answered: z.number(),
    abandoned: z.number(),
    timed_out: z.number(),
    overflow: z.number(),
  }),
  seconds: z.object({
    accounts: z.number(),
    rows: z.number(),
    indexes: z.number(),
    rollups: z.number(),
    total: z.number(),
  }),
  targets: z.object({ groupId: z.number(), agentId: z.number(), party: z.string() }),
});

/** The record of a database seeded earlier, which must match the options given now. */
function reusedRecord(dbPath: string, options: Options): SeedRecord {
  if (!existsSync(dbPath) || !existsSync(recordPath(dbPath)))
    throw new Error(`--reuse: no database seeded by this script at ${dbPath}`);
  const record = seedRecordSchema.parse(JSON.parse(readFileSync(recordPath(dbPath), 'utf8')));
  const { calls, days, groups, agents } = options;
  const wanted = JSON.stringify({ calls, days, groups, agents });
  if (JSON.stringify(record.params) !== wanted)
    throw new Error(`--reuse: ${dbPath} holds ${JSON.stringify(record.params)}, not ${wanted}`);
  return record;
}

/**
 * Seeds in a child process (this script with --seed-only), so that the simulation's garbage and
 * the loading connection's cache never count in the RSS measured here: this process then holds
 * the server, the raw-SQL connection and the benchmark only.
 */
async function seedInChild(dbPath: string, options: Options): Promise<SeedRecord> {
  const args = [
    ...process.execArgv,
    fileURLToPath(import.meta.url),
    '--seed-only',
    '--db',
    dbPath,
    ...(['calls', 'days', 'groups', 'agents'] as const).flatMap((k) => [
      `--${k}`,
      String(options[k]),
    ]),
  ];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`seeding failed (exit ${String(code)})`);
  return reusedRecord(dbPath, options);
}

// ---------------------------------------------------------------------------------------------
// The application, over HTTP

interface Client {
  server: Server;
  baseUrl: string;
  token: string;
}

async function startApplication(config: Config): Promise<Client> {
  const server = await createServer(config, { logger: createLogger(config.logLevel) });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const res = await fetch(`${address}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId: config.admin.loginId, password: ADMIN_PASSWORD }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`login: ${res.status} ${text}`);
  const { token } = z.object({ token: z.string() }).parse(JSON.parse(text));
  return { server, baseUrl: `${address}/api/v1`, token };
}

/** This process's peak RSS since the last reset: VmHWM, which writing 5 to clear_refs resets. */
interface RssPeak {
  reset(): void;
  mb(): number;
  /** False when the peak could not be reset: then it is the process's lifetime peak. */
  resettable: boolean;
}

function createRssPeak(): RssPeak {
  const read = () => {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? process.resourceUsage().maxRSS / 1024 : Number(kb) / 1024;
  };
  let resettable = true;
  const reset = () => {
    if (!resettable) return;
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      resettable = false;
    }
  };
  reset();
  return {
    reset,
    mb: read,
    get resettable() {
      return resettable;
    },
  };
}

interface Timed {
  ms: number;
  status: number;
  body: string;
  /** The event loop's longest stall beyond its sampling interval while the request ran. */
  stallMs: number;
  /** Peak RSS while the request ran, and how far above the RSS at its start. */
  rssMb: number;
  rssGrowthMb: number;
}

async function timedGet(
  client: Client,
  path: string,
  loop: IntervalHistogram,
  rss: RssPeak,
): Promise<Timed> {
  rss.reset();
  const rssAtStart = rss.mb();
  loop.reset();
  // The histogram records the gap between two samples; right after a reset there is no first
  // one yet, and a stall before it would go unrecorded.
  await sleep(3 * LOOP_RESOLUTION_MS);
  const started = performance.now();
  const res = await fetch(`${client.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${client.token}` },
  });
  const body = await res.text();
  const ms = performance.now() - started;
  return {
    ms,
    status: res.status,
    body,
    stallMs: Math.max(0, loop.max / 1e6 - LOOP_RESOLUTION_MS),
    rssMb: rss.mb(),
    rssGrowthMb: rss.mb() - rssAtStart,
  };
}

// ---------------------------------------------------------------------------------------------
// The requests and their raw SQL

/** What an endpoint's answer and its raw SQL both say, to check they count the same rows. */
interface Summary {
  /** Shown in the table. */
  headline: string;
  /** Compared. */
  detail: string;
}

interface Probe {
  label: string;
  path: string;
  /** The raw SQL's statements, for their query plans. */
  statements: { sql: string; params: Params }[];
  /** The 90-day report by hour, whose event-loop stall the issue singles out. */
  singledOut?: boolean;
  baseline(): Summary;
  summarize(body: unknown): Summary;
}

const OUTCOME_EVENTS = "('CONNECT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITFULL')";
/** A data column after its first `|`, as SQL. */
const afterFirst = (data: string) => `substr(${data}, instr(${data}, '|') + 1)`;
/** The wait of the outcome row aliased `t` (model.ts): CONNECT's first field, ABANDON's third. */
const waitSql = (t: string) => `CASE ${t}.event
  WHEN 'CONNECT' THEN CAST(substr(${t}.data, 1, instr(${t}.data, '|') - 1) AS INTEGER)
  WHEN 'ABANDON' THEN CAST(substr(${afterFirst(`${t}.data`)}, instr(${afterFirst(`${t}.data`)}, '|') + 1) AS INTEGER)
  ELSE 0 END`;
/** The talk seconds of the COMPLETE* row aliased `t`: its second field. */
const talkSql = (t: string) =>
  `CAST(substr(${afterFirst(`${t}.data`)}, 1, instr(${afterFirst(`${t}.data`)}, '|') - 1) AS INTEGER)`;
const LOCAL_SECONDS = `(at + ${ZONE_OFFSET_MS}) / 1000, 'unixepoch'`;

const BUCKETS = {
  date: `strftime('%Y-%m-%d', ${LOCAL_SECONDS})`,
  hour: `strftime('%H', ${LOCAL_SECONDS})`,
  agent: "CASE WHEN event = 'CONNECT' THEN agent_id END",
  talk_duration: `CASE WHEN event <> 'CONNECT' THEN 'unanswered' WHEN talk IS NULL THEN 'in_progress'
    WHEN talk < 30 THEN '0-30s' WHEN talk < 60 THEN '30-60s' WHEN talk < 180 THEN '1-3m'
    WHEN talk < 300 THEN '3-5m' WHEN talk < 600 THEN '5-10m' ELSE '10m+' END`,
} as const;
type Breakdown = keyof typeof BUCKETS;

/**
 * The 統計 aggregate in plain SQL: the outcome rows of the window (one group, or all), their
 * counters per bucket — calls, answered, abandoned, overflow, timed out, within the service level,
 * wait totals and maxima. talk_duration adds each CONNECT's talk from the call's first COMPLETE*
 * in the group at or after it, as the report does.
 */
function groupStatsSql(breakdown: Breakdown, oneGroup: boolean): string {
  // Found by the call-id index: the unary + keeps the planner off the (group, at) index, which
  // would walk the rest of the group's log for every answered call.
  const talk =
    breakdown === 'talk_duration'
      ? `, CASE WHEN o.event = 'CONNECT' THEN (SELECT ${talkSql('e')} FROM queue_log e
          WHERE e.call_id = o.call_id AND +e.group_id IS o.group_id
            AND e.event IN ('COMPLETECALLER', 'COMPLETEAGENT') AND +e.at >= o.at
          ORDER BY e.at LIMIT 1) END AS talk`
      : '';
  // Materialized for talk_duration, or the band's CASE would run the subquery once per branch.
  return `WITH outcome AS ${breakdown === 'talk_duration' ? 'MATERIALIZED ' : ''}(
      SELECT o.at AS at, o.event AS event, o.agent_id AS agent_id${talk}, ${waitSql('o')} AS wait
      FROM queue_log o
      WHERE ${oneGroup ? 'o.group_id = @groupId AND ' : ''}o.at >= @from AND o.at < @to
        AND o.event IN ${OUTCOME_EVENTS})
    SELECT ${BUCKETS[breakdown]} AS bucket, count(*) AS calls,
      sum(event = 'CONNECT') AS answered, sum(event = 'ABANDON') AS abandoned,
      sum(event = 'EXITFULL') AS overflow, sum(event = 'EXITWITHTIMEOUT') AS timedOut,
      sum(event = 'CONNECT' AND wait <= @threshold) AS withinThreshold,
      sum(CASE WHEN event = 'CONNECT' THEN wait END) AS answerWaitTotal,
      max(CASE WHEN event = 'CONNECT' THEN wait END) AS answerWaitMax,
      sum(CASE WHEN event = 'ABANDON' THEN wait END) AS abandonWaitTotal,
      max(CASE WHEN event = 'ABANDON' THEN wait END) AS abandonWaitMax
    FROM outcome GROUP BY bucket`;
}

interface Counted {
  calls: number;
  answered: number;
  abandoned: number;
  overflow: number;
  timedOut: number;
}

function countsText(c: Counted): string {
  return (
    `${c.calls} calls, ${c.answered} answered, ${c.abandoned} abandoned, ` +
    `${c.overflow} overflow, ${c.timedOut} timed out`
  );
}

const reportRow = z.object({
  key: z.string(),
  calls: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  overflow: z.number(),
  timedOut: z.number(),
});
const groupReportBody = z.object({ rows: z.array(reportRow), total: reportRow });

interface BucketRow extends Counted {
  bucket: string | number | null;
}

/** Per-bucket calls, for the breakdowns whose keys both sides spell alike. */
function bucketsText(rows: { key: string; calls: number }[]): string {
  return rows
    .filter((r) => r.calls > 0)
    .map((r) => `${r.key}:${r.calls}`)
    .sort()
    .join(' ');
}

function groupProbe(
  reader: BetterSqlite3.Database,
  label: string,
  window: { from: number; to: number; groupId: number | undefined; breakdown: Breakdown },
): Probe {
  const { groupId, breakdown } = window;
  const sql = groupStatsSql(breakdown, groupId !== undefined);
  const params = {
    from: dayStart(window.from),
    to: dayStart(window.to + 1),
    threshold: 20,
    ...(groupId !== undefined && { groupId }),
  };
  const statement = reader.prepare<Record<string, number>, BucketRow>(sql);
  const query = new URLSearchParams({
    ...(groupId !== undefined && { groupId: String(groupId) }),
    breakdown,
    from: dateOf(window.from),
    to: dateOf(window.to),
  });
  // Agent rows are keyed by id in SQL and by name in the report: compare how many there are.
  const shape = (rows: { key: string; calls: number }[]) =>
    breakdown === 'agent'
      ? `${rows.filter((r) => r.key !== 'none' && r.calls > 0).length} agents`
      : bucketsText(rows);
  return {
    label,
    path: `/stats/groups?${query.toString()}`,
    statements: [{ sql, params }],
    baseline() {
      const rows = statement.all(params);
      const total = rows.reduce<Counted>(
        (t, r) => ({
          calls: t.calls + r.calls,
          answered: t.answered + r.answered,
          abandoned: t.abandoned + r.abandoned,
          overflow: t.overflow + r.overflow,
          timedOut: t.timedOut + r.timedOut,
        }),
        { calls: 0, answered: 0, abandoned: 0, overflow: 0, timedOut: 0 },
      );
      const keyed = rows.map((r) => ({
        key: r.bucket === null ? 'none' : String(r.bucket),
        calls: r.calls,
      }));
      return { headline: `${total.calls} calls`, detail: `${countsText(total)}; ${shape(keyed)}` };
    },
    summarize(body) {
      const report = groupReportBody.parse(body);
      return {
        headline: `${report.total.calls} calls`,
        detail: `${countsText(report.total)}; ${shape(report.rows)}`,
      };
    },
  };
}

/** The status key of the report: the built-in status, or custom:<id> for a custom pause. */
const STATUS_KEY_SQL =
  "CASE WHEN status = 'paused' AND custom_status_id IS NOT NULL THEN 'custom:' || custom_status_id ELSE status END";
const OVERLAPS_SQL = 'started_at < @to AND (ended_at IS NULL OR ended_at > @from)';

/**
 * The ステータス統計 aggregate in plain SQL: each interval clipped to the window, summed per
 * agent and status; by hour, the clipped intervals are first cut at the hours (a recursive CTE;
 * UTC hours are Asia/Tokyo's hours, the offset being whole hours).
 */
function statusStatsSql(byHour: boolean): string {
  if (!byHour) {
    return `SELECT agent_id AS agentId, ${STATUS_KEY_SQL} AS statusKey,
        sum(min(coalesce(ended_at, @now), @to) - max(started_at, @from)) AS ms, count(*) AS n
      FROM agent_status_log WHERE ${OVERLAPS_SQL}
      GROUP BY agent_id, status, custom_status_id`;
  }
  return `WITH RECURSIVE piece(agent_id, status_key, start, stop) AS (
        SELECT agent_id, ${STATUS_KEY_SQL}, max(started_at, @from), min(coalesce(ended_at, @now), @to)
        FROM agent_status_log WHERE ${OVERLAPS_SQL}
        UNION ALL
        SELECT agent_id, status_key, (start / ${HOUR_MS} + 1) * ${HOUR_MS}, stop
        FROM piece WHERE (start / ${HOUR_MS} + 1) * ${HOUR_MS} < stop)
      SELECT agent_id AS agentId, status_key AS statusKey,
        strftime('%H', (start + ${ZONE_OFFSET_MS}) / 1000, 'unixepoch') AS hour,
        sum(min(stop, (start / ${HOUR_MS} + 1) * ${HOUR_MS}) - start) AS ms, count(*) AS n
      FROM piece GROUP BY agent_id, hour, status_key`;
}

const statusReportBody = z.object({
  rows: z.array(
    z.object({
      agentId: z.number(),
      statuses: z.record(z.string(), z.object({ seconds: z.number(), count: z.number() })),
    }),
  ),
});

/** Time and count per status key, and how many agents: what both sides must agree on. */
function statusTotals(cells: { agentId: number; key: string; ms: number; n: number }[]): Summary {
  const byKey = new Map<string, { ms: number; n: number }>();
  for (const c of cells) {
    const t = byKey.get(c.key) ?? { ms: 0, n: 0 };
    byKey.set(c.key, { ms: t.ms + c.ms, n: t.n + c.n });
  }
  const totalMs = cells.reduce((sum, c) => sum + c.ms, 0);
  const agents = new Set(cells.map((c) => c.agentId)).size;
  const keys = [...byKey]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, t]) => `${k}:${t.ms}ms/${t.n}`)
    .join(' ');
  return {
    headline: `${Math.round(totalMs / HOUR_MS)} agent-h`,
    detail: `${agents} agents, ${totalMs} ms; ${keys}`,
  };
}

function statusProbe(
  reader: BetterSqlite3.Database,
  label: string,
  window: { from: number; hours: number; byHour: boolean },
): Probe {
  const sql = statusStatsSql(window.byHour);
  const from = dayStart(window.from);
  const params = { from, to: from + window.hours * HOUR_MS, now: Date.now() };
  const statement = reader.prepare<
    Record<string, number>,
    { agentId: number; statusKey: string; ms: number; n: number }
  >(sql);
  const query = new URLSearchParams({
    from: new Date(from).toISOString(),
    hours: String(window.hours),
    breakdown: window.byHour ? 'hour' : 'agent',
  });
  return {
    label,
    path: `/stats/agent-statuses?${query.toString()}`,
    statements: [{ sql, params }],
    baseline: () =>
      statusTotals(
        statement
          .all(params)
          .map((r) => ({ agentId: r.agentId, key: r.statusKey, ms: r.ms, n: r.n })),
      ),
    summarize(body) {
      const cells = statusReportBody.parse(body).rows.flatMap((row) =>
        Object.entries(row.statuses).map(([key, cell]) => ({
          agentId: row.agentId,
          key,
          ms: Math.round(cell.seconds * SECOND_MS),
          n: cell.count,
        })),
      );
      return statusTotals(cells);
    },
  };
}

type Params = Record<string, number | string>;

/** Named parameters as better-sqlite3 takes them: none at all for a statement without any. */
function bind(params: Params): Params[] {
  return Object.keys(params).length === 0 ? [] : [params];
}

const historyBody = z.object({ items: z.array(z.object({ id: z.number() })), total: z.number() });

function historyText(total: number, ids: number[]): Summary {
  return {
    headline: `total ${total}`,
    detail: `total ${total}, page ${ids[0] ?? '-'}…${ids[ids.length - 1] ?? '-'} (${ids.length})`,
  };
}

/** The call history page and its count in plain SQL, with the endpoint's WHERE. */
function historyProbe(
  reader: BetterSqlite3.Database,
  label: string,
  filter: { query: Record<string, string>; where: string; params: Params },
): Probe {
  const where = filter.where === '' ? '' : `WHERE ${filter.where}`;
  const pageSql = `SELECT * FROM call_history ${where} ORDER BY started_at DESC, id DESC LIMIT 50`;
  const countSql = `SELECT count(*) AS n FROM call_history ${where}`;
  const page = reader.prepare<Params[], { id: number }>(pageSql);
  const count = reader.prepare<Params[], { n: number }>(countSql);
  const query = new URLSearchParams({ ...filter.query, limit: '50' });
  return {
    label,
    path: `/call-history?${query.toString()}`,
    statements: [
      { sql: pageSql, params: filter.params },
      { sql: countSql, params: filter.params },
    ],
    baseline() {
      const ids = page.all(...bind(filter.params)).map((r) => r.id);
      return historyText(count.get(...bind(filter.params))?.n ?? 0, ids);
    },
    summarize(body) {
      const parsed = historyBody.parse(body);
      return historyText(
        parsed.total,
        parsed.items.map((i) => i.id),
      );
    },
  };
}

/** The requests of the issue, then the other breakdowns; windows end on the last seeded day. */
function probes(reader: BetterSqlite3.Database, days: number, targets: Targets): Probe[] {
  const last = days - 1;
  let lastWeekday = last;
  while (lastWeekday > 0 && weekdayOf(lastWeekday) > 4) lastWeekday -= 1;
  const month = Math.max(0, days - 30);
  const week = Math.max(0, days - 7);
  const span = (from: number) => `${last - from + 1} days`;
  const { groupId, agentId, party } = targets;
  const groups = (label: string, from: number, to: number, breakdown: Breakdown, one = true) =>
    groupProbe(reader, label, { from, to, breakdown, groupId: one ? groupId : undefined });
  return [
    groups('groups: 1 group, 1 day', lastWeekday, lastWeekday, 'date'),
    groups(`groups: 1 group, ${span(month)} by date`, month, last, 'date'),
    { ...groups(`groups: 1 group, ${span(0)} by hour`, 0, last, 'hour'), singledOut: true },
    groups(`groups: all groups, ${span(month)}`, month, last, 'date', false),
    groups(`groups: 1 group, ${span(month)} by agent`, month, last, 'agent'),
    groups(`groups: 1 group, ${span(month)} by talk`, month, last, 'talk_duration'),
    statusProbe(reader, 'agent-statuses: 1 day', { from: lastWeekday, hours: 24, byHour: false }),
    statusProbe(reader, 'agent-statuses: 1 day by hour', {
      from: lastWeekday,
      hours: 24,
      byHour: true,
    }),
    statusProbe(reader, `agent-statuses: ${span(week)} by hour`, {
      from: week,
      hours: (last - week + 1) * 24,
      byHour: true,
    }),
    historyProbe(reader, 'call-history: no filter', { query: {}, where: '', params: {} }),
    historyProbe(reader, 'call-history: ?agentId=', {
      query: { agentId: String(agentId) },
      where: 'agent_id = @agentId OR callee_agent_id = @agentId',
      params: { agentId },
    }),
    historyProbe(reader, 'call-history: ?groupId=', {
      query: { groupId: String(groupId) },
      where: 'group_id = @groupId',
      params: { groupId },
    }),
    // The party is matched by its first digits, an index range on each number column.
    historyProbe(reader, `call-history: ?party=${party}`, {
      query: { party },
      where:
        "(from_number >= @party AND from_number < @party || ':') OR " +
        "(to_number >= @party AND to_number < @party || ':')",
      params: { party },
    }),
  ];
}

/** SQLite's plan for a statement, one line. */
function planOf(reader: BetterSqlite3.Database, sql: string, params: Params): string {
  return reader
    .prepare<Params[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...bind(params))
    .map((r) => r.detail)
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Measurement {
  probe: Probe;
  endpointMs: number[];
  baselineMs: number[];
  stallMs: number;
  rssMb: number;
  rssGrowthMb: number;
  endpoint: Summary | undefined;
  baseline: Summary | undefined;
  /** The first non-200 answer, if any. */
  error: string | undefined;
}

async function measure(
  probe: Probe,
  runs: number,
  client: Client,
  loop: IntervalHistogram,
  rss: RssPeak,
): Promise<Measurement> {
  const m: Measurement = {
    probe,
    endpointMs: [],
    baselineMs: [],
    stallMs: 0,
    rssMb: 0,
    rssGrowthMb: 0,
    endpoint: undefined,
    baseline: undefined,
    error: undefined,
  };
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    m.baseline = probe.baseline();
    m.baselineMs.push(performance.now() - started);
    const res = await timedGet(client, probe.path, loop, rss);
    m.endpointMs.push(res.ms);
    m.stallMs = Math.max(m.stallMs, res.stallMs);
    m.rssMb = Math.max(m.rssMb, res.rssMb);
    m.rssGrowthMb = Math.max(m.rssGrowthMb, res.rssGrowthMb);
    if (res.status !== 200) {
      m.error ??= `HTTP ${res.status}: ${res.body.slice(0, 300)}`;
      continue;
    }
    // Parsed after the clock and the monitors stopped: the client's JSON work is not the server's.
    m.endpoint = probe.summarize(JSON.parse(res.body));
  }
  m.endpointMs.sort((a, b) => a - b);
  m.baselineMs.sort((a, b) => a - b);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Printing

function ms(n: number): string {
  if (Number.isNaN(n)) return '-';
  return n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US');
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function load(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${cpus().length} cores)`;
}

function printSeeding(record: SeedRecord, reused: boolean, dbPath: string): void {
  const { counts, outcomes, seconds } = record;
  const calls = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
  const pct = (n: number) => `${((100 * n) / calls).toFixed(1)} %`;
  const size = ['', '-wal']
    .map((suffix) => (existsSync(dbPath + suffix) ? statSync(dbPath + suffix).size : 0))
    .reduce((sum, n) => sum + n, 0);
  console.log(
    `${reused ? 'reused, seeded earlier' : 'seeded'} in ${seconds.total.toFixed(1)} s ` +
      `(accounts ${seconds.accounts.toFixed(1)} s, rows ${seconds.rows.toFixed(1)} s, ` +
      `indexes ${seconds.indexes.toFixed(1)} s, report rollups from the log ` +
      `${seconds.rollups.toFixed(1)} s); database ${(size / 1024 ** 3).toFixed(2)} GB`,
  );
  console.log(
    `rows: queue_log ${int(counts.queueLog)} (${(counts.queueLog / calls).toFixed(2)} per call), ` +
      `call_history ${int(counts.callHistory)}, agent_status_log ${int(counts.statusLog)}`,
  );
  console.log(
    `calls: answered ${pct(outcomes.answered)}, abandoned ${pct(outcomes.abandoned)}, ` +
      `timed out ${pct(outcomes.timed_out)}, overflow ${pct(outcomes.overflow)}`,
  );
}

const COLUMNS =
  'request                                   p50 ms     min     max  raw SQL   ratio  ≤3×  ≤300ms  loop stall  peak RSS   +RSS  same rows';

function printRow(m: Measurement): void {
  const p50 = percentile(m.endpointMs, 50);
  const raw = percentile(m.baselineMs, 50);
  const ratio = p50 / raw;
  const yes = (ok: boolean) => (ok ? 'yes' : 'no');
  const same =
    m.endpoint === undefined || m.baseline === undefined
      ? 'n/a'
      : m.endpoint.detail === m.baseline.detail
        ? `yes (${m.endpoint.headline})`
        : 'NO';
  console.log(
    `${m.probe.label.padEnd(40)} ${ms(p50).padStart(7)} ${ms(m.endpointMs[0] ?? NaN).padStart(7)} ` +
      `${ms(m.endpointMs[m.endpointMs.length - 1] ?? NaN).padStart(7)} ${ms(raw).padStart(8)} ` +
      `${`${ratio.toFixed(1)}×`.padStart(7)}  ${yes(ratio <= GOAL_RATIO).padEnd(3)}  ` +
      `${yes(p50 <= GOAL_MS).padEnd(6)}  ${`${ms(m.stallMs)} ms`.padStart(10)}  ` +
      `${`${Math.round(m.rssMb)} MB`.padStart(8)}  ${`+${Math.round(m.rssGrowthMb)}`.padStart(5)}  ${same}`,
  );
}

function printDetails(results: Measurement[], reader: BetterSqlite3.Database): void {
  console.log('\nrequests (under /api/v1) and their raw SQL plans:');
  for (const m of results) {
    console.log(`  ${m.probe.label}: GET ${m.probe.path}`);
    for (const s of m.probe.statements)
      console.log(`      plan: ${planOf(reader, s.sql, s.params)}`);
    if (m.error !== undefined) console.log(`      ERROR ${m.error}`);
    if (
      m.endpoint !== undefined &&
      m.baseline !== undefined &&
      m.endpoint.detail !== m.baseline.detail
    ) {
      console.log(`      endpoint: ${m.endpoint.detail.slice(0, 400)}`);
      console.log(`      raw SQL:  ${m.baseline.detail.slice(0, 400)}`);
    }
  }
}

function printVerdict(results: Measurement[], idleRssMb: number, rss: RssPeak): void {
  const worst = (value: (m: Measurement) => number) =>
    results.reduce((a, b) => (value(b) > value(a) ? b : a));
  const stall = worst((m) => m.stallMs);
  const peak = worst((m) => m.rssMb);
  const quarter = results.find((m) => m.probe.singledOut === true);
  const p50 = (m: Measurement) => percentile(m.endpointMs, 50);
  const ratioMet = results.filter((m) => p50(m) / percentile(m.baselineMs, 50) <= GOAL_RATIO);
  const timeMet = results.filter((m) => p50(m) <= GOAL_MS);
  console.log('');
  console.log(
    `event loop: longest stall ${ms(stall.stallMs)} ms, during "${stall.probe.label}"` +
      (quarter === undefined ? '' : `; during "${quarter.probe.label}" ${ms(quarter.stallMs)} ms`) +
      ` (goal ≤ ${GOAL_STALL_MS} ms: ${stall.stallMs <= GOAL_STALL_MS ? 'met' : 'not met'})`,
  );
  console.log(
    `RSS: peak ${Math.round(peak.rssMb)} MB, during "${peak.probe.label}"; ` +
      `${Math.round(idleRssMb)} MB with the server idle before the requests ` +
      `(goal ≤ ${GOAL_RSS_MB} MB: ${peak.rssMb <= GOAL_RSS_MB ? 'met' : 'not met'})` +
      (rss.resettable ? '' : ' — lifetime peak: VmHWM could not be reset'),
  );
  console.log(
    `goals per request: ≤ ${GOAL_RATIO}× raw SQL ${ratioMet.length} of ${results.length}, ` +
      `≤ ${GOAL_MS} ms ${timeMet.length} of ${results.length}`,
  );
}

// ---------------------------------------------------------------------------------------------

/** Where the database goes, and how to remove what this run created. */
function databaseFiles(options: Options): { path: string; cleanup: () => void } {
  if (options.db === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-reports-'));
    return { path: join(dir, 'reports.db'), cleanup: () => rmSync(dir, { recursive: true }) };
  }
  const path = options.db;
  if (!options.reuse && existsSync(path))
    throw new Error(`${path} exists: remove it, or pass --reuse to measure it again`);
  const key = join(dirname(path), 'secrets.key');
  const ownKey = !existsSync(key);
  return {
    path,
    cleanup: () => {
      for (const suffix of ['', '-wal', '-shm', '.bench.json'])
        rmSync(path + suffix, { force: true });
      if (ownKey) rmSync(key, { force: true });
    },
  };
}

function configFor(dbPath: string): Config {
  return loadConfig(testEnv({ DATABASE_PATH: dbPath, TIMEZONE: TIME_ZONE, LOG_LEVEL: 'error' }));
}

/** Runs every request against the application on the seeded file and prints the tables. */
async function measureAll(dbPath: string, options: Options, record: SeedRecord): Promise<void> {
  const client = await startApplication(configFor(dbPath));
  const reader = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  try {
    loop.enable();
    const rss = createRssPeak();
    const idleRssMb = rss.mb();
    console.log(`\nmeasuring (${load()})\n`);
    console.log(COLUMNS);
    const results: Measurement[] = [];
    for (const probe of probes(reader, options.days, record.targets)) {
      const m = await measure(probe, options.runs, client, loop, rss);
      printRow(m);
      results.push(m);
    }
    console.log(
      `\nratio = endpoint p50 ÷ raw SQL p50 (same rows, separate read-only connection, same ` +
        `process); loop stall = longest event-loop delay beyond ${LOOP_RESOLUTION_MS} ms ` +
        `sampling while the request ran; peak RSS = this process's VmHWM during the request ` +
        `(what earlier requests left in the heap included), +RSS = how far above the RSS at ` +
        `the request's start`,
    );
    printDetails(results, reader);
    printVerdict(results, idleRssMb, rss);
    console.log(`\n${load()}`);
  } finally {
    loop.disable();
    reader.close();
    await client.server.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.seedOnly && options.db !== undefined) {
    const record = await seed(options.db, configFor(options.db), options);
    writeFileSync(recordPath(options.db), JSON.stringify(record, null, 2));
    return;
  }
  const files = databaseFiles(options);
  console.log(
    `Reports over ${int(options.calls)} calls in ${options.days} days from ${FIRST_DAY} ` +
      `(${TIME_ZONE}), ${options.groups} groups, ${options.agents} agents; ` +
      `${options.runs} runs each; node ${process.version}; ${load()}`,
  );
  let record: SeedRecord;
  try {
    record = options.reuse
      ? reusedRecord(files.path, options)
      : await seedInChild(files.path, options);
  } catch (err) {
    // A half-seeded file is worth nothing; a reused one is not ours to remove.
    if (!options.reuse) files.cleanup();
    throw err;
  }
  printSeeding(record, options.reuse, files.path);
  try {
    await measureAll(files.path, options, record);
  } finally {
    if (options.keep) {
      console.log(`kept ${files.path} (measure it again with --db ${files.path} --reuse)`);
    } else {
      files.cleanup();
    }
  }
}

await main();
