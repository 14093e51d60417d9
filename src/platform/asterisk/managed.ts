/**
 * Managed mode: the server runs its own Asterisk.
 *
 * It renders asterisk-config/ into a private runtime directory (every Asterisk directory inside
 * it, its own ports and credentials, so several instances can share a machine), starts
 * `asterisk -f` as a child process — inside a chroot when Asterisk was installed into one by
 * scripts/install-asterisk.sh — waits until ARI answers, restarts it if it dies, and stops it on
 * shutdown.
 *
 * If a previous server process died without stopping its Asterisk (a crash, kill -9), the calls
 * on that Asterisk are still up: the next start finds it by its pid file and adopts it instead of
 * starting another one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { AsteriskEndpoints, ManagedAsteriskSettings } from '../../config.js';
import { RECONNECT_BACKOFF, backoffDelay } from '../backoff.js';
import type { Logger } from '../logger.js';
import { renderConfiguration, rtpIceLines, type TemplateValues } from './config-render.js';

/** Where scripts/install-asterisk.sh puts its Asterisk 22 chroot. */
export const DEFAULT_CHROOT = '/opt/callcenter/asterisk-22';

const MODULE_DIRS = [
  '/usr/lib/x86_64-linux-gnu/asterisk/modules',
  '/usr/lib/aarch64-linux-gnu/asterisk/modules',
  '/usr/lib/asterisk/modules',
  '/usr/lib64/asterisk/modules',
];

export interface AsteriskInstallation {
  /** '/' for a host installation, else the chroot's root. */
  root: string;
  /** The binary, as a path or name inside the root. */
  binary: string;
  modulesDir: string;
  dataDir: string;
}

export class ManagedAsteriskError extends Error {
  override name = 'ManagedAsteriskError';
}

const INSTALL_HINT = 'install it with: sudo bash scripts/install-asterisk.sh';

/** Finds the Asterisk to run: the configured chroot, the standard chroot, or the host's. */
export function locateInstallation(
  settings: Pick<ManagedAsteriskSettings, 'binary' | 'chroot'>,
): AsteriskInstallation {
  let root = '/';
  if (settings.chroot === 'auto') {
    if (existsSync(join(DEFAULT_CHROOT, 'usr/sbin/asterisk'))) root = DEFAULT_CHROOT;
  } else if (settings.chroot !== 'none') {
    root = resolve(settings.chroot);
    if (!existsSync(join(root, 'usr/sbin/asterisk'))) {
      throw new ManagedAsteriskError(
        `ASTERISK_CHROOT=${root} holds no usr/sbin/asterisk; ${INSTALL_HINT}`,
      );
    }
  }
  const binary =
    root !== '/' && settings.binary === 'asterisk' ? '/usr/sbin/asterisk' : settings.binary;
  const modulesDir = MODULE_DIRS.find((dir) => existsSync(join(root, dir)));
  if (modulesDir === undefined) {
    throw new ManagedAsteriskError(`no Asterisk modules directory under ${root}; ${INSTALL_HINT}`);
  }
  return { root, binary, modulesDir, dataDir: '/usr/share/asterisk' };
}

export interface ManagedAsteriskOptions {
  settings: ManagedAsteriskSettings;
  stasisApp: string;
  log: Logger;
  /** Default runtime directory for a host installation. */
  defaultRuntimeDir?: string;
}

export type ManagedState = 'idle' | 'starting' | 'running' | 'exited' | 'stopped';

interface Credentials {
  ariUser: string;
  ariPassword: string;
  amiUser: string;
  amiSecret: string;
}

export interface ManagedAsterisk {
  readonly installation: AsteriskInstallation;
  /** The runtime directory on this host (inside the chroot's tree when there is one). */
  readonly runtimeDir: string;
  endpoints(): AsteriskEndpoints;
  state(): ManagedState;
  pid(): number | undefined;
  onStateChange(listener: (state: ManagedState, detail?: string) => void): () => void;
  /** Starts (or adopts) Asterisk and resolves once ARI answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const ADOPTED_POLL_MS = 2_000;

export function createManagedAsterisk(options: ManagedAsteriskOptions): ManagedAsterisk {
  const { settings, log } = options;
  const installation = locateInstallation(settings);
  const inChroot = installation.root !== '/';
  const runtimeDir = resolve(
    settings.runtimeDir ??
      (inChroot
        ? join(installation.root, 'var/lib/callcenter', `asterisk-${settings.ariPort}`)
        : (options.defaultRuntimeDir ?? './data/asterisk')),
  );
  if (inChroot && !runtimeDir.startsWith(`${installation.root}/`)) {
    throw new ManagedAsteriskError(
      `ASTERISK_RUNTIME_DIR must lie inside the chroot ${installation.root} (Asterisk runs there)`,
    );
  }
  /** The same directory as Asterisk sees it. */
  const runtimeInside = inChroot ? runtimeDir.slice(installation.root.length) : runtimeDir;
  const credentials = loadCredentials(runtimeDir);
  const listeners = new Set<(state: ManagedState, detail?: string) => void>();

  let state: ManagedState = 'idle';
  let child: ChildProcess | undefined;
  let adoptedPid: number | undefined;
  let adoptedPoll: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarts = 0;
  let stopping = false;

  const ariUrl = `http://127.0.0.1:${settings.ariPort}`;

  function setState(next: ManagedState, detail?: string): void {
    state = next;
    for (const listener of listeners) listener(next, detail);
  }

  function prepare(): void {
    // The directories asterisk-config/asterisk.conf names, all inside the runtime directory.
    // Asterisk exits without db/, and ARI recording answers 500 without spool/recording/.
    // The media cache (audio files fetched over HTTP) is not reused across starts: Asterisk
    // forgets it on restart and would only leave the old files behind.
    rmSync(join(runtimeDir, 'cache'), { recursive: true, force: true });
    for (const dir of ['lib', 'db', 'keys', 'agi-bin', 'spool/recording', 'run', 'log', 'cache']) {
      mkdirSync(join(runtimeDir, dir), { recursive: true, mode: 0o700 });
    }
    const values: TemplateValues = {
      RUNTIME_DIR: runtimeInside,
      MODULES_DIR: installation.modulesDir,
      DATA_DIR: installation.dataDir,
      HTTP_BIND: '127.0.0.1',
      HTTP_PORT: settings.ariPort,
      ARI_USER: credentials.ariUser,
      ARI_PASSWORD: credentials.ariPassword,
      AMI_BIND: '127.0.0.1',
      AMI_PORT: settings.amiPort,
      AMI_USER: credentials.amiUser,
      AMI_SECRET: credentials.amiSecret,
      SIP_BIND: settings.sipBind,
      SIP_PORT: settings.sipPort,
      RTP_START: settings.rtpPortStart,
      RTP_END: settings.rtpPortEnd,
      RTP_ICE: rtpIceLines(settings.ice),
      STASIS_APP: options.stasisApp,
    };
    renderConfiguration(runtimeDir, values);
  }

  async function ariAnswers(): Promise<boolean> {
    try {
      const auth = Buffer.from(`${credentials.ariUser}:${credentials.ariPassword}`).toString(
        'base64',
      );
      const response = await fetch(`${ariUrl}/ari/asterisk/info`, {
        headers: { authorization: `Basic ${auth}` },
        signal: AbortSignal.timeout(2_000),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  async function waitForAri(isAlive: () => boolean): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!isAlive())
        throw new ManagedAsteriskError(
          'Asterisk exited while starting; see its log in ' + join(runtimeDir, 'log'),
        );
      if (await ariAnswers()) return;
      await sleep(200);
    }
    throw new ManagedAsteriskError(
      `ARI did not answer on ${ariUrl} within ${READY_TIMEOUT_MS / 1000} s`,
    );
  }

  /** A live Asterisk left by an earlier server process, if its pid file points at one. */
  function survivingPid(): number | undefined {
    const pidFile = join(runtimeDir, 'run', 'asterisk.pid');
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes('asterisk') ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  function spawnAsterisk(): ChildProcess {
    const conf = join(runtimeInside, 'asterisk.conf');
    const args = ['-C', conf, '-f', '-n'];
    const [command, argv] = inChroot
      ? ['chroot', [installation.root, installation.binary, ...args]]
      : [installation.binary, args];
    // Console output goes to a file, not a pipe: if this process dies, Asterisk must not die
    // of a broken pipe with it (its calls are re-adopted by the next server process).
    const out = openSync(join(runtimeDir, 'log', 'console.log'), 'a');
    const proc = spawn(command, argv, { stdio: ['ignore', out, out], detached: true });
    closeSync(out);
    proc.on('exit', (code, signal) => onExit(proc, code, signal));
    proc.on('error', (err: NodeJS.ErrnoException) => {
      const detail = err.code === 'ENOENT' ? `${command} not found; ${INSTALL_HINT}` : err.message;
      log.error({ err }, `cannot start Asterisk: ${detail}`);
    });
    log.info({ pid: proc.pid, runtimeDir, root: installation.root }, 'Asterisk started');
    return proc;
  }

  function onExit(proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (proc !== child) return;
    child = undefined;
    if (stopping) return;
    const detail = `exit code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
    log.warn({ code, signal }, 'Asterisk exited; restarting it');
    setState('exited', detail);
    scheduleRestart();
  }

  function scheduleRestart(): void {
    const delay = backoffDelay(restarts, { initialMs: 1_000, maxMs: RECONNECT_BACKOFF.maxMs });
    restarts += 1;
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      launch().catch((err: unknown) => log.error({ err }, 'Asterisk restart failed'));
    }, delay);
  }

  async function launch(): Promise<void> {
    if (stopping) return;
    setState('starting');
    const proc = spawnAsterisk();
    child = proc;
    await waitForAri(() => child === proc && proc.exitCode === null && proc.signalCode === null);
    restarts = 0;
    setState('running');
  }

  function adopt(pid: number): void {
    adoptedPid = pid;
    log.info({ pid, runtimeDir }, 'adopted the Asterisk left running by an earlier server process');
    setState('running', 'adopted');
    adoptedPoll = setInterval(() => {
      if (isAlive(pid)) return;
      clearInterval(adoptedPoll);
      adoptedPoll = undefined;
      adoptedPid = undefined;
      if (stopping) return;
      log.warn({ pid }, 'the adopted Asterisk exited; starting a new one');
      setState('exited', 'adopted process exited');
      scheduleRestart();
    }, ADOPTED_POLL_MS);
  }

  return {
    installation,
    runtimeDir,
    endpoints: () => ({
      ari: { url: ariUrl, user: credentials.ariUser, password: credentials.ariPassword },
      ami: {
        host: '127.0.0.1',
        port: settings.amiPort,
        user: credentials.amiUser,
        secret: credentials.amiSecret,
      },
    }),
    state: () => state,
    pid: () => child?.pid ?? adoptedPid,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      stopping = false;
      prepare();
      const surviving = survivingPid();
      if (surviving !== undefined && (await ariAnswers())) {
        adopt(surviving);
        return;
      }
      await launch();
    },
    async stop() {
      stopping = true;
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      if (adoptedPoll !== undefined) clearInterval(adoptedPoll);
      const pid = child?.pid ?? adoptedPid;
      if (pid !== undefined) await terminate(pid);
      child = undefined;
      adoptedPid = undefined;
      setState('stopped');
    },
  };
}

function loadCredentials(runtimeDir: string): Credentials {
  const file = join(runtimeDir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  const credentials: Credentials = {
    ariUser: 'callcenter',
    ariPassword: randomBytes(18).toString('base64url'),
    amiUser: 'callcenter',
    amiSecret: randomBytes(18).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
