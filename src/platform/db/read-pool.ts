/**
 * Heavy reads off the main thread. better-sqlite3 is synchronous: a report computed in a request
 * handler would stop everything else — Stasis events, queue dispatch, the feed — until it is
 * done. A read pool runs named read programs (pure functions of a connection and an input) in a
 * worker thread with its own read-only connection to the same file (WAL lets it read while the
 * main thread writes), and hands the result back as a promise.
 *
 * A private in-memory database (the tests') cannot be opened twice: there the programs run on the
 * main connection instead, with the same inputs and results.
 */
import { Worker } from 'node:worker_threads';
import { HttpError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import type { Db } from './client.js';

/** A read program: reads through its connection, never writes; input and output are cloneable. */
export type ReadProgram = (db: Db, input: never) => unknown;
export type ReadPrograms = Record<string, ReadProgram>;

export type ProgramInput<P extends ReadProgram> = Parameters<P>[1];

export interface ReadPool<P extends ReadPrograms> {
  run<K extends keyof P & string>(name: K, input: ProgramInput<P[K]>): Promise<ReturnType<P[K]>>;
  close(): Promise<void>;
}

/** What crosses the thread boundary for a request and its answer. */
export interface ReadRequest {
  id: number;
  name: string;
  input: unknown;
}
export type ReadAnswer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export interface SerializedError {
  message: string;
  /** Set for an HttpError (e.g. a 404 from inside a program). */
  http?: { statusCode: number; code: string; details?: unknown };
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof HttpError) {
    return {
      message: err.message,
      http: { statusCode: err.statusCode, code: err.code, details: err.details },
    };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

function deserializeError(e: SerializedError): Error {
  return e.http === undefined
    ? new Error(`read program failed: ${e.message}`)
    : new HttpError(e.http.statusCode, e.http.code, e.message, e.http.details);
}

export interface ReadPoolOptions<P extends ReadPrograms> {
  /** The database file; ':memory:' runs the programs on `db` itself. */
  path: string;
  db: Db;
  programs: P;
  /** The worker's entry (src/read-worker.ts, or its compiled .js). */
  workerUrl: URL;
  log: Logger;
  /** Runs before every read (the deferred writes are flushed, so the read sees them). */
  beforeRead?: () => void;
}

export function createReadPool<P extends ReadPrograms>(options: ReadPoolOptions<P>): ReadPool<P> {
  const pool =
    options.path === ':memory:' ? inlinePool(options.db, options.programs) : workerPool(options);
  const { beforeRead } = options;
  if (beforeRead === undefined) return pool;
  return {
    run(name, input) {
      beforeRead();
      return pool.run(name, input);
    },
    close: () => pool.close(),
  };
}

function inlinePool<P extends ReadPrograms>(db: Db, programs: P): ReadPool<P> {
  return {
    async run(name, input) {
      const program = programs[name] as (db: Db, input: unknown) => ReturnType<P[typeof name]>;
      // A clone, as a worker would get: no program can keep or change the caller's objects.
      const result = program(db, structuredClone(input));
      return structuredClone(result);
    },
    async close() {},
  };
}

function workerPool<P extends ReadPrograms>(options: ReadPoolOptions<P>): ReadPool<P> {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let closing = false;

  function start(): Worker {
    const url = options.workerUrl;
    const workerData = { path: options.path };
    // From source (tsx), the worker needs tsx's loader too: Node gives workers none of the
    // parent's module hooks.
    const fresh = url.pathname.endsWith('.ts')
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
            `.then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true, workerData },
        )
      : new Worker(url, { workerData });
    fresh.on('message', (answer: ReadAnswer) => {
      const waiter = pending.get(answer.id);
      if (waiter === undefined) return;
      pending.delete(answer.id);
      if (answer.ok) waiter.resolve(answer.value);
      else waiter.reject(deserializeError(answer.error));
    });
    const fail = (reason: string) => {
      if (worker === fresh) worker = undefined;
      for (const waiter of pending.values()) waiter.reject(new Error(reason));
      pending.clear();
    };
    fresh.on('error', (err) => {
      options.log.error({ err }, 'read worker failed');
      fail(`read worker failed: ${err.message}`);
    });
    fresh.on('exit', (code) => {
      if (!closing) options.log.warn({ code }, 'read worker exited; the next read starts another');
      fail(`read worker exited with ${code}`);
    });
    // The worker alone must not keep the process alive.
    fresh.unref();
    return fresh;
  }

  return {
    run(name, input) {
      worker ??= start();
      const id = ++nextId;
      const request: ReadRequest = { id, name, input };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve, reject });
        worker?.postMessage(request);
      });
    },
    async close() {
      closing = true;
      await worker?.terminate();
      worker = undefined;
    },
  };
}
