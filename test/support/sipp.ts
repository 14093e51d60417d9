/**
 * SIPp as real phones and callers. Scenario files live in test/sipp/ and document their
 * variables; these helpers only build the command line and collect what SIPp saw.
 *
 * A phone that must both register and take a call is two SIPp runs on the same local port:
 * register (exits), then answer (see test/sipp/phone-answer.xml for why).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortBlock } from './ports.js';

export const SIPP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../sipp');

export interface SippOptions {
  /** Asterisk's SIP address, host:port (the target of requests this scenario sends). */
  remote?: string;
  /** Our SIP port; 0 lets SIPp choose (fine for callers). */
  localPort?: number;
  localIp?: string;
  /**
   * SIPp's own media port (RFC 2833 DTMF is sent from it). SIPp binds it and the next three
   * ports; when not given, a free block is taken (SIPp's default 6000 collides across tests).
   */
  mediaPort?: number;
  /** The number dialled, or the user registered. */
  service?: string;
  authUser?: string;
  authPassword?: string;
  /** Scenario variables (-set name value). */
  vars?: Record<string, string | number>;
  /** Overall limit for the run, in seconds (counted as a failure). */
  timeoutSeconds?: number;
  /** Calls to make or take before the run ends (-m); 1 by default. */
  calls?: number;
  /** Further SIPp arguments (e.g. -r, -l for load). */
  extraArgs?: string[];
}

export interface SippResult {
  code: number | null;
  /** Every SIP message SIPp sent and received (its -trace_msg log). */
  messages: string;
  errors: string;
  output: string;
}

export interface SippRun {
  pid: number | undefined;
  done: Promise<SippResult>;
  kill(): void;
}

/**
 * Starts SIPp on a scenario. The SDP advertises SIPp's media port unless the test sets
 * `rtp_port` itself (to receive Asterisk's RTP on a socket of its own).
 */
export async function runSipp(scenario: string, options: SippOptions = {}): Promise<SippRun> {
  const work = mkdtempSync(join(tmpdir(), 'cc-sipp-'));
  const ip = options.localIp ?? '127.0.0.1';
  const mediaPort = options.mediaPort ?? (await freePortBlock(4));
  // SIPp refuses -set for a variable its scenario does not declare.
  const declaresRtpPort = /<Global variables="[^"]*\brtp_port\b/.test(
    readFileSync(join(SIPP_DIR, scenario), 'utf8'),
  );
  const vars = { ...(declaresRtpPort && { rtp_port: mediaPort }), ...options.vars };
  const args = [
    ...(options.remote !== undefined ? [options.remote] : []),
    '-sf',
    join(SIPP_DIR, scenario),
    '-m',
    String(options.calls ?? 1),
    '-i',
    ip,
    '-mi',
    ip,
    '-p',
    String(options.localPort ?? 0),
    '-mp',
    String(mediaPort),
    ...(options.service !== undefined ? ['-s', options.service] : []),
    ...(options.authUser !== undefined ? ['-au', options.authUser] : []),
    ...(options.authPassword !== undefined ? ['-ap', options.authPassword] : []),
    ...Object.entries(vars).flatMap(([name, value]) => ['-set', name, String(value)]),
    '-timeout',
    `${options.timeoutSeconds ?? 60}s`,
    '-timeout_error',
    ...(options.extraArgs ?? []),
    '-nostdin',
    '-trace_msg',
    '-message_file',
    join(work, 'messages.log'),
    '-trace_err',
    '-error_file',
    join(work, 'errors.log'),
  ];
  const child = spawn('sipp', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const read = (file: string) => {
    try {
      return readFileSync(join(work, file), 'utf8');
    } catch {
      return '';
    }
  };
  const done = new Promise<SippResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const result = { code, messages: read('messages.log'), errors: read('errors.log'), output };
      rmSync(work, { recursive: true, force: true });
      resolvePromise(result);
    });
  });
  return { pid: child.pid, done, kill: () => child.kill('SIGKILL') };
}

/** Runs a scenario to the end and fails unless SIPp exits 0. */
export async function sippOk(scenario: string, options: SippOptions): Promise<SippResult> {
  const result = await (await runSipp(scenario, options)).done;
  if (result.code !== 0) {
    throw new Error(
      `sipp ${scenario} exited ${String(result.code)}\n${result.errors.slice(-3000)}\n${result.output.slice(-2000)}`,
    );
  }
  return result;
}
