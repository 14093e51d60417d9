/**
 * What the tests of the kinds of /imports share: an upload of raw bytes, the job's report once
 * it has run, a user holding only the permissions a test names, and the files in UTF-8, UTF-8
 * with BOM and Shift_JIS.
 */
import iconv from 'iconv-lite';
import type { TestApp } from './app.js';

export interface Job {
  id: number;
  kind: string;
  status: string;
  total: number;
  applied: number;
  skipped: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failure: string | null;
  errors: { row: number; column: number | null; message: string }[];
}

export interface Res {
  statusCode: number;
  body: string;
  json(): unknown;
}

export function api(app: TestApp, token = app.adminToken) {
  return {
    get: (url: string) => app.request('GET', `/api/v1${url}`, { token }),
    post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token, body }),
  };
}

export async function ok<T>(res: Promise<Res> | Res, status = 200): Promise<T> {
  const done = await res;
  if (done.statusCode !== status) throw new Error(`${done.statusCode} ${done.body}`);
  return done.json() as T;
}

export type Encoding = 'utf8' | 'bom' | 'sjis';

/** The text as a file in the encoding (CRLF lines for Shift_JIS, as Excel writes them). */
export function fileOf(text: string, encoding: Encoding = 'utf8'): Buffer {
  if (encoding === 'sjis') return iconv.encode(text.replace(/\r?\n/g, '\r\n'), 'cp932');
  const bytes = Buffer.from(text, 'utf8');
  return encoding === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes;
}

export function upload(
  app: TestApp,
  kind: string,
  file: Buffer | string,
  query = '',
  token = app.adminToken,
) {
  return app.request('POST', `/api/v1/imports?kind=${kind}${query === '' ? '' : `&${query}`}`, {
    token,
    body: typeof file === 'string' ? fileOf(file) : file,
    headers: { 'content-type': 'text/csv' },
  });
}

/** Uploads, waits for the job to run, and returns its report. */
export async function imported(
  app: TestApp,
  kind: string,
  file: Buffer | string,
  query = '',
  token = app.adminToken,
): Promise<Job> {
  const res = await upload(app, kind, file, query, token);
  if (res.statusCode !== 202) throw new Error(`${res.statusCode} ${res.body}`);
  const { id } = res.json() as { id: number };
  await app.app.services.imports.idle();
  return ok<Job>(api(app, token).get(`/imports/${id}`));
}

/** The error code of a refused request. */
export const codeOf = (res: Res) => (res.json() as { error: { code: string } }).error.code;

/** A user whose role holds exactly these permissions; returns their token. */
export async function userWith(
  app: TestApp,
  loginId: string,
  permissions: readonly string[],
): Promise<string> {
  const role = await ok<{ id: number }>(
    api(app).post('/roles', { name: `role-${loginId}`, permissions }),
    201,
  );
  await ok(
    api(app).post('/agents', {
      loginId,
      name: loginId,
      nickname: loginId,
      password: 'Secret123',
      roleId: role.id,
    }),
    201,
  );
  return ((await app.login(loginId, 'Secret123')).json() as { token: string }).token;
}
