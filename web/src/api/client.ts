/**
 * The server's REST API under /api/v1, as the web application calls it: paths, parameters,
 * bodies and answers typed from the server's own OpenAPI document (openapi.d.ts), the session's
 * bearer token on every request, errors as the server shapes them ({error: {code, message}}).
 */
import type { paths } from './openapi';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that answer a method. */
export type PathOf<M extends Method> = {
  [P in keyof paths]: [paths[P][M]] extends [undefined] ? never : P;
}[keyof paths];

type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;

/** What a successful call answers (200 or 201 JSON; nothing for 204). */
export type Answer<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? R extends { 200: infer Ok }
      ? JsonOf<Ok>
      : R extends { 201: infer Created }
        ? JsonOf<Created>
        : undefined
    : never;

export type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;

type QueryOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? Q : never;

/** Path parameters: the document says strings (they are in the path); ids are numbers here. */
type PathParamsOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { path: infer X } }
    ? { [K in keyof X]: string | number }
    : never;

export interface RequestOptions<P extends keyof paths, M extends Method> {
  path?: PathParamsOf<P, M>;
  query?: QueryOf<P, M>;
  body?: BodyOf<P, M>;
}

/** The list element of a paginated or listing answer (`{items: [...]}`). */
export type ItemOf<P extends PathOf<'get'>> =
  Answer<P, 'get'> extends { items: (infer I)[] } ? I : never;

type QueryValue = string | number | boolean | null | undefined;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** What to tell the user about a failed call: the server's words, or what went wrong. */
export function problemOf(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

export interface ApiClient {
  call<M extends Method, P extends PathOf<M>>(
    method: M,
    path: P,
    options?: RequestOptions<P, M>,
  ): Promise<Answer<P, M>>;
  /**
   * The same call for code that is generic over resources (the admin screens): the path is
   * checked where it is written (a descriptor's `PathOf`), the answer is the caller's to read.
   */
  raw(
    method: Method,
    path: string,
    options?: {
      path?: Record<string, string | number>;
      query?: Record<string, QueryValue | QueryValue[]>;
      body?: unknown;
      /** A file sent as its own bytes instead of a JSON body (a CSV upload). */
      file?: { data: Blob; contentType: string };
      /** A multipart form (an audio upload): the browser writes its content type and boundary. */
      form?: FormData;
    },
  ): Promise<unknown>;
  /**
   * A file the browser plays or saves (a recording, a CSV report), fetched with the token and
   * handed over as an object URL: an <audio> element or a link cannot send the header.
   */
  objectUrl(path: string, query?: Record<string, string | number | undefined>): Promise<string>;
}

/** `{id}`-style blanks of a path filled from its parameters. */
function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`path ${path} needs ${name}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, QueryValue | QueryValue[]> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value])
      if (v !== undefined && v !== null) search.append(name, String(v));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * A client for one session. `onUnauthorized` hears a 401 on any call: the session has ended
 * (logged out elsewhere, expired, locked) and the application goes back to the login screen.
 */
export function createApiClient(options: {
  token: () => string | null;
  onUnauthorized?: () => void;
}): ApiClient {
  const raw: ApiClient['raw'] = async (method, path, request = {}) => {
    const { path: params, query, body, file, form } = request;
    const headers: Record<string, string> = {};
    const token = options.token();
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (file !== undefined) headers['content-type'] = file.contentType;
    else if (form === undefined && body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${fillPath(path, params)}${queryString(query)}`, {
        method: method.toUpperCase(),
        headers,
        ...(file !== undefined
          ? { body: file.data }
          : form !== undefined
            ? { body: form }
            : body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'unavailable', 'The server cannot be reached');
    }
    const text = await response.text();
    const json: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const error = (
        json as { error?: { code?: string; message?: string; details?: unknown } } | undefined
      )?.error;
      if (response.status === 401 && token !== null) options.onUnauthorized?.();
      throw new ApiError(
        response.status,
        error?.code ?? 'failed',
        error?.message ?? text,
        error?.details,
      );
    }
    return json;
  };
  return {
    call: (method, path, request) =>
      raw(method, path, request as Parameters<typeof raw>[2]) as never,
    raw,
    async objectUrl(path, query = {}) {
      const token = options.token();
      const response = await fetch(`${path}${queryString(query)}`, {
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        if (response.status === 401 && token !== null) options.onUnauthorized?.();
        throw new ApiError(response.status, 'failed', await response.text());
      }
      return URL.createObjectURL(await response.blob());
    },
  };
}
