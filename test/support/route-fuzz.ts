/**
 * The pieces of the route fuzz test (test/http/fuzz.test.ts): requests generated from a route's
 * zod schemas, their classification by those same schemas (as Fastify would see the request),
 * and the judgement of a response against what the route declares.
 */
import fc from 'fast-check';
import type { FastifySchema, LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import type { RouteDeclaration } from '../../src/platform/http/auth.js';
import {
  FORBIDDEN_IN_ANY_TEXT,
  hostileText,
  invalidArb,
  isCoercedNumber,
  isIntegerNumber,
  validArb,
  type GenContext,
} from './zod-arbitraries.js';

type Schema = z.core.$ZodType;

/** A request as sent: every part already in its wire form, so it prints as it went out. */
export interface FuzzRequest {
  method: string;
  /** The route's path parameters, unencoded. */
  params: Record<string, string>;
  /** Query parameters; an array repeats the key. */
  query: Record<string, string | string[]>;
  /** The raw body and its content type (absent: none sent). */
  body?: { contentType?: string; payload: string };
  /** What was mutated on purpose ('' for a request meant to be valid). */
  mutation: string;
}

export interface RouteUnderTest {
  declaration: RouteDeclaration;
  key: string;
  schema: RouteSchemas;
  /** A raw-body generator for routes whose body no zod schema describes (CSV uploads). */
  rawBody?: fc.Arbitrary<{ contentType?: string; payload: string }>;
}

export interface RouteSchemas {
  params?: Schema;
  querystring?: Schema;
  body?: Schema;
  headers?: Schema;
  /** Declared responses by status key ('200', '4xx', 'default'). */
  response: Record<string, unknown>;
}

const isZod = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** The route's schemas; throws on a part that is not a zod schema (the harness reads only zod). */
export function routeSchemas(schema: FastifySchema | undefined): RouteSchemas {
  const parts: RouteSchemas = { response: {} };
  for (const part of ['params', 'querystring', 'body', 'headers'] as const) {
    const value = schema?.[part];
    if (value === undefined) continue;
    if (!isZod(value)) throw new Error(`the ${part} schema is not a zod schema`);
    parts[part] = value;
  }
  const response = schema?.response;
  if (typeof response === 'object' && response !== null) {
    parts.response = Object.fromEntries(Object.entries(response));
  }
  return parts;
}

const MALFORMED_JSON = ['{', '{"', '[1,]', "{'a':1}", 'nul', '{"a":1}}', '\u0000', '{"a":01}'];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'text/csv',
];
/** Fastify's router refuses longer parameters (maxParamLength) before any route sees them. */
const MAX_PARAM_LENGTH = 100;

/** Query and params travel as text: anything else is written the way a client would. */
function asWireText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return JSON.stringify(value);
}

/** The names of a route's path parameters (`/groups/:id/members/:agentId` → id, agentId). */
export function pathParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
}

/** Path parameters as the router hands them over: every one present (a missing one is ''). */
function toParams(names: string[], value: unknown): Record<string, string> {
  const given =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(names.map((name) => [name, asWireText(given[name])]));
}

function toQuery(value: unknown): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (typeof value !== 'object' || value === null) return query;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    query[key] = Array.isArray(v) ? v.map(asWireText) : asWireText(v);
  }
  return query;
}

/** JSON text of a generated value (`undefined`, which JSON cannot carry, as `null`). */
const jsonText = (value: unknown): string => (value === undefined ? 'null' : JSON.stringify(value));

const json = (value: unknown) => ({
  contentType: 'application/json',
  payload: jsonText(value),
});

/** Raw-body mutations of a JSON body: malformed, wrong or missing content type, huge numbers. */
function rawBodyMutations(
  valid: fc.Arbitrary<unknown>,
): fc.Arbitrary<{ mutation: string; body?: { contentType?: string; payload: string } }> {
  return fc.oneof(
    fc.constantFrom(...MALFORMED_JSON).map((payload) => ({
      mutation: 'malformed JSON',
      body: { contentType: 'application/json', payload },
    })),
    fc.tuple(valid, fc.nat()).map(([value, at]) => {
      const text = jsonText(value);
      const cut = 1 + (at % Math.max(1, text.length - 1));
      return {
        mutation: 'truncated JSON',
        body: { contentType: 'application/json', payload: text.slice(0, cut) },
      };
    }),
    fc.tuple(valid, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([value, contentType]) => ({
      mutation: `content type ${contentType}`,
      body: { contentType, payload: jsonText(value) },
    })),
    valid.map((value) => ({
      mutation: 'no content type',
      body: { payload: jsonText(value) },
    })),
    fc.constant({
      mutation: 'empty JSON body',
      body: { contentType: 'application/json', payload: '' },
    }),
    fc.constant({ mutation: 'no body' }),
    fc
      .tuple(valid, fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1e-400'))
      .map(([value, huge]) => {
        const text = jsonText(value);
        const replaced = text.replace(/(?<=[:[,])-?\d+(\.\d+)?([eE][+-]?\d+)?(?=[,\]}])/, huge);
        return {
          mutation: `huge number ${huge}`,
          body: { contentType: 'application/json', payload: replaced === text ? huge : replaced },
        };
      }),
  );
}

/**
 * Requests for a route: valid ones (every part from its schema) and invalid ones (exactly one
 * part mutated, the others valid), half and half.
 */
export function requestArb(route: RouteUnderTest, ctx: GenContext): fc.Arbitrary<FuzzRequest> {
  const text: GenContext = { ...ctx, wire: 'text' };
  const { params, querystring, body, headers } = route.schema;
  // No route declares one yet; the harness would neither send nor check the headers.
  if (headers !== undefined) throw new Error(`${route.key}: header schemas are not fuzzed yet`);
  const method = route.declaration.method;
  const names = pathParams(route.declaration.url);

  const validParams = params === undefined ? fc.constant({}) : validArb(params, text);
  const validQuery = querystring === undefined ? fc.constant({}) : validArb(querystring, text);
  const validBodyValue = body === undefined ? undefined : validArb(body, ctx);
  const validBody: fc.Arbitrary<{ contentType?: string; payload: string } | undefined> =
    validBodyValue !== undefined
      ? validBodyValue.map(json)
      : route.rawBody !== undefined
        ? route.rawBody
        : fc.constant(undefined);

  const build = (
    p: unknown,
    q: unknown,
    b: { contentType?: string; payload: string } | undefined,
    mutation: string,
  ): FuzzRequest => ({
    method,
    params: toParams(names, p),
    query: toQuery(q),
    ...(b !== undefined && { body: b }),
    mutation,
  });

  const valid = fc.tuple(validParams, validQuery, validBody).map(([p, q, b]) => build(p, q, b, ''));

  const mutations: fc.Arbitrary<FuzzRequest>[] = [];
  if (params !== undefined) {
    mutations.push(
      fc
        .tuple(invalidArb(params, text), validQuery, validBody)
        .map(([p, q, b]) => build(p, q, b, 'params')),
    );
  }
  if (querystring !== undefined) {
    mutations.push(
      fc
        .tuple(validParams, invalidArb(querystring, text), validBody)
        .map(([p, q, b]) => build(p, q, b, 'query')),
    );
  }
  if (body !== undefined && validBodyValue !== undefined) {
    mutations.push(
      fc
        .tuple(validParams, validQuery, invalidArb(body, ctx))
        .map(([p, q, b]) => build(p, q, json(b), 'body')),
      fc
        .tuple(validParams, validQuery, validArb(body, { ...ctx, hostile: true }))
        .map(([p, q, b]) => build(p, q, json(b), 'control characters in body strings')),
      fc
        .tuple(validParams, validQuery, rawBodyMutations(validBodyValue))
        .map(([p, q, raw]) => build(p, q, raw.body, raw.mutation)),
    );
  }
  if (route.rawBody !== undefined) {
    mutations.push(
      fc
        .tuple(
          validParams,
          validQuery,
          fc.oneof(
            fc.constant(undefined),
            fc.constant({ contentType: 'text/csv', payload: '' }),
            fc.jsonValue({ maxDepth: 1 }).map(json),
            hostileText(fc.constant('0312345678,,note')).map((payload) => ({
              contentType: 'text/csv',
              payload,
            })),
          ),
        )
        .map(([p, q, b]) => build(p, q, b, 'raw body')),
    );
  }
  if (
    method !== 'GET' &&
    method !== 'DELETE' &&
    body === undefined &&
    route.rawBody === undefined
  ) {
    // A body the route does not take: still a request Fastify parses.
    mutations.push(
      fc
        .tuple(validParams, validQuery, fc.jsonValue({ maxDepth: 1 }))
        .map(([p, q, b]) => build(p, q, json(b), 'unexpected body')),
    );
  }
  return mutations.length === 0
    ? valid
    : fc.oneof({ weight: 1, arbitrary: valid }, { weight: 1, arbitrary: fc.oneof(...mutations) });
}

/** Whether the router hands this request to the route at all (no parameter over its limit). */
export function reachesRoute(request: FuzzRequest): boolean {
  return Object.values(request.params).every(
    (v) => encodeURIComponent(v).length <= MAX_PARAM_LENGTH,
  );
}

export function urlOf(route: RouteUnderTest, request: FuzzRequest): string {
  const path = route.declaration.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    encodeURIComponent(request.params[name] ?? ''),
  );
  const query = Object.entries(request.query)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (v) => `${encodeURIComponent(key)}=${encodeURIComponent(v)}`,
      ),
    )
    .join('&');
  return query === '' ? path : `${path}?${query}`;
}

/** JSON.parse as Fastify's parser (secure-json-parse) does it: prototype poisoning refused. */
function fastifyJsonParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const value: unknown = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__') throw new Error('prototype poisoning');
      if (key === 'constructor' && typeof v === 'object' && v !== null && 'prototype' in v) {
        throw new Error('constructor poisoning');
      }
      return v;
    });
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

const mediaType = (contentType: string | undefined) =>
  contentType?.split(';')[0]?.trim().toLowerCase();

export interface Classification {
  /** Whether every part passes the route's zod schema, as Fastify would see it. */
  valid: boolean;
  /** Why not: the first issue of each failing part. */
  issues: string[];
  /** What the schema accepted but no API should: non-canonical numbers, control characters. */
  lax: { signature: string; message: string }[];
  /** The parsed params (for the admin guard). */
  params: Record<string, unknown> | undefined;
}

function firstIssue(part: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return `${part}: invalid`;
  return `${[part, ...issue.path.map(String)].join('.')}: ${issue.message}`;
}

/** Paths (with array indices as *) and code points of forbidden characters in parsed text. */
function forbiddenText(
  value: unknown,
  path: string[],
  out: { path: string; char: string }[],
): void {
  if (typeof value === 'string') {
    // Line breaks and tabs are the schemas' call (a message may span lines); the rest never.
    const match = FORBIDDEN_IN_ANY_TEXT.exec(value);
    if (match !== null) {
      const code = match[0].codePointAt(0) ?? 0;
      out.push({
        path: path.join('.'),
        char: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
      });
    }
  } else if (Array.isArray(value)) {
    for (const item of value) forbiddenText(item, [...path, '*'], out);
  } else if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) forbiddenText(item, [...path, key], out);
  }
}

const CANONICAL_INTEGER = /^(0|-?[1-9][0-9]*)$/;
const CANONICAL_DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function objectShape(schema: Schema): Record<string, Schema> {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  if (def.type === 'object') return def.shape;
  if (def.type === 'pipe') return objectShape(def.in);
  return {};
}

/** Coerced numbers given as text must be plain decimals (`0x1`, `1e0`, ` 1`, `01` are not). */
function oddNumbers(part: 'params' | 'query', schema: Schema, raw: Record<string, unknown>) {
  const lax: Classification['lax'] = [];
  for (const [key, field] of Object.entries(objectShape(schema))) {
    const value = raw[key];
    if (typeof value !== 'string' || !isCoercedNumber(field)) continue;
    const canonical = isIntegerNumber(field) ? CANONICAL_INTEGER : CANONICAL_DECIMAL;
    if (!canonical.test(value)) {
      lax.push({
        signature: `non-canonical number in ${part}.${key}`,
        message: `${part}.${key} = ${JSON.stringify(value)} is not a plain decimal, yet the schema took it`,
      });
    }
  }
  return lax;
}

/** What the route's own schemas say of the request, part by part, as Fastify would see it. */
export function classify(route: RouteUnderTest, request: FuzzRequest): Classification {
  const { params, querystring, body } = route.schema;
  const result: Classification = { valid: true, issues: [], lax: [], params: undefined };
  const fail = (issue: string) => {
    result.valid = false;
    result.issues.push(issue);
  };

  if (params !== undefined) {
    const parsed = z.safeParse(params, { ...request.params });
    if (parsed.success) {
      result.params = parsed.data as Record<string, unknown>;
      result.lax.push(...oddNumbers('params', params, request.params));
    } else fail(firstIssue('params', parsed.error));
  }
  if (querystring !== undefined) {
    const parsed = z.safeParse(querystring, { ...request.query });
    if (parsed.success) result.lax.push(...oddNumbers('query', querystring, request.query));
    else fail(firstIssue('query', parsed.error));
  }
  if (body !== undefined) {
    const sent = request.body;
    const media = mediaType(sent?.contentType);
    let value: unknown;
    let parsedBody = true;
    if (sent === undefined) value = undefined;
    else if (media === 'application/json') {
      const parsed = sent.payload === '' ? { ok: false as const } : fastifyJsonParse(sent.payload);
      if (parsed.ok) value = parsed.value;
      else {
        parsedBody = false;
        fail('body: not JSON');
      }
    } else if (media === 'text/csv' || media === 'application/octet-stream') {
      // Where the CSV parser is registered the body arrives as bytes; elsewhere it is a 415.
      value = Buffer.from(sent.payload);
    } else {
      parsedBody = false;
      fail(`body: content type ${sent.contentType ?? '(none)'}`);
    }
    if (parsedBody) {
      const parsed = z.safeParse(body, value);
      if (parsed.success) {
        const found: { path: string; char: string }[] = [];
        forbiddenText(parsed.data, ['body'], found);
        for (const f of found) {
          result.lax.push({
            signature: `control character in ${f.path}`,
            message: `${f.path} contains ${f.char}, yet the schema took it`,
          });
        }
      } else fail(firstIssue('body', parsed.error));
    }
  }
  return result;
}

export type ProblemKind = '5xx' | 'undeclared status' | 'schema mismatch' | 'invalid accepted';

export interface Problem {
  kind: ProblemKind;
  /** What identifies this failure among others of the route (for "report all"). */
  signature: string;
  message: string;
}

interface DeclaredResponse {
  /** Media type → schema; a plain zod schema declares application/json. */
  content: Map<string, Schema | undefined>;
  plain: boolean;
}

function declaredResponse(route: RouteUnderTest, status: number): DeclaredResponse | undefined {
  const declared = route.schema.response;
  const entry =
    declared[String(status)] ?? declared[`${Math.floor(status / 100)}xx`] ?? declared.default;
  if (entry === undefined) return undefined;
  if (isZod(entry)) return { content: new Map([['application/json', entry]]), plain: true };
  const content = new Map<string, Schema | undefined>();
  if (typeof entry === 'object' && entry !== null && 'content' in entry) {
    const byType = (entry as { content: Record<string, { schema?: unknown }> }).content;
    for (const [type, { schema }] of Object.entries(byType)) {
      content.set(type.toLowerCase(), isZod(schema) ? schema : undefined);
    }
  }
  return { content, plain: false };
}

function schemaFor(declared: DeclaredResponse, media: string): Schema | 'undeclared' | undefined {
  if (declared.content.has(media)) return declared.content.get(media);
  const wildcard = `${media.split('/')[0] ?? ''}/*`;
  if (declared.content.has(wildcard)) return declared.content.get(wildcard);
  if (declared.content.has('*/*')) return declared.content.get('*/*');
  return 'undeclared';
}

/**
 * RFC 4180: quoted or plain fields, one record per line, the same number of fields in each. A
 * leading byte order mark is allowed: the exports start with one, or Excel reads them as
 * Shift_JIS.
 */
export function csvProblem(text: string): string | undefined {
  if (text.startsWith('\uFEFF')) return csvProblem(text.slice(1));
  if (text.startsWith('\uFEFF')) return 'a second byte order mark';
  let fields = 0;
  let expected: number | undefined;
  let line = 1;
  let i = 0;
  const endRecord = () => {
    fields += 1;
    if (expected === undefined) expected = fields;
    else if (fields !== expected)
      return `line ${line} has ${fields} fields, the header ${expected}`;
    fields = 0;
    line += 1;
    return undefined;
  };
  while (i < text.length) {
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) return `line ${line}: unterminated quoted field`;
        if (text[i] === '"') {
          if (text[i + 1] === '"') i += 2;
          else break;
        } else i += 1;
      }
      i += 1;
    } else {
      while (i < text.length && !',\r\n'.includes(text[i] ?? '')) {
        if (text[i] === '"') return `line ${line}: a quote inside an unquoted field`;
        i += 1;
      }
    }
    const c = text[i];
    if (c === ',') {
      fields += 1;
      i += 1;
    } else if (c === '\r' || c === '\n' || c === undefined) {
      const problem = endRecord();
      if (problem !== undefined) return problem;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else return `line ${line}: ${JSON.stringify(c)} after a quoted field`;
  }
  return undefined;
}

/** Everything wrong with a response to the request, given what the route declares. */
export function judge(
  route: RouteUnderTest,
  classification: Classification,
  res: LightMyRequestResponse,
): Problem[] {
  const problems: Problem[] = [];
  const status = res.statusCode;
  const declared = declaredResponse(route, status);
  // A 503 the route declares (Asterisk away, not ready) is an answer; a 500 never is.
  if (status >= 500 && (status === 500 || declared === undefined)) {
    const code = errorCode(res.body);
    problems.push({
      kind: '5xx',
      signature: `5xx ${status} ${code}`,
      message: `answered ${status}${code === '' ? '' : ` ${code}`}${declared === undefined ? ' (undeclared)' : ''}`,
    });
    return problems;
  }
  if (status >= 200 && status < 300) {
    if (!classification.valid) {
      problems.push({
        kind: 'invalid accepted',
        signature: `invalid accepted: ${classification.issues.map(normalizeIssue).join('; ')}`,
        message: `a request the schema refuses (${classification.issues.join('; ')}) answered ${status}`,
      });
    }
    for (const lax of classification.lax) {
      problems.push({
        kind: 'invalid accepted',
        signature: `invalid accepted: ${lax.signature}`,
        message: `${lax.message} and answered ${status}`,
      });
    }
  }

  if (declared === undefined) {
    const declaredKeys = Object.keys(route.schema.response).join(', ');
    problems.push({
      kind: 'undeclared status',
      signature: `undeclared status ${status}`,
      message: `answered ${status}, which the route does not declare (it declares ${declaredKeys})`,
    });
    return problems;
  }

  const contentType = res.headers['content-type'];
  const media = mediaType(typeof contentType === 'string' ? contentType : undefined);
  if (res.body === '' && media === undefined) {
    // No body: only a schema that accepts nothing (z.undefined()) or anything fits.
    const schema = declared.content.get('application/json');
    if (schema !== undefined && !z.safeParse(schema, undefined).success) {
      problems.push({
        kind: 'schema mismatch',
        signature: `empty body for ${status}`,
        message: `answered ${status} with no body, which the declared schema does not allow`,
      });
    }
    return problems;
  }
  if (media === undefined) {
    problems.push({
      kind: 'schema mismatch',
      signature: `no content type for ${status}`,
      message: `answered ${status} with a body and no content type`,
    });
    return problems;
  }
  const schema = schemaFor(declared, media);
  if (schema === 'undeclared') {
    problems.push({
      kind: 'schema mismatch',
      signature: `undeclared content type ${media} for ${status}`,
      message: `answered ${status} as ${media}, which the route does not declare (declared: ${[...declared.content.keys()].join(', ')})`,
    });
  } else if (schema !== undefined) {
    let value: unknown = res.body;
    let parsedOk = true;
    if (media === 'application/json' || media.endsWith('+json')) {
      try {
        value = JSON.parse(res.body);
      } catch {
        parsedOk = false;
        problems.push({
          kind: 'schema mismatch',
          signature: `invalid JSON for ${status}`,
          message: `answered ${status} as JSON that does not parse`,
        });
      }
    }
    if (parsedOk) {
      const parsed = z.safeParse(schema, value);
      if (!parsed.success) {
        const issue = firstIssue('response', parsed.error);
        problems.push({
          kind: 'schema mismatch',
          signature: `response ${status}: ${normalizeIssue(issue)}`,
          message: `the ${status} body does not match the declared schema: ${issue}`,
        });
      }
    }
  }
  if (media === 'text/csv') {
    const problem = csvProblem(res.body);
    if (problem !== undefined) {
      problems.push({
        kind: 'schema mismatch',
        signature: `malformed CSV: ${problem.replace(/line \d+/g, 'line N')}`,
        message: `the text/csv body is not RFC 4180 CSV: ${problem}`,
      });
    }
  }
  return problems;
}

function errorCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : '';
  } catch {
    return '';
  }
}

/** An issue without the values in it, so that one defect has one signature. */
function normalizeIssue(issue: string): string {
  return issue.replace(/\.\d+(?=[.:])/g, '.*').replace(/:.*$/, '');
}

/** Invisible characters (controls, bidi, BOM, separators) as \\uXXXX, still valid in JSON. */
const visible = (text: string) =>
  text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    if (c === '\n' || c === '\r' || c === '\t') return JSON.stringify(c).slice(1, -1);
    return `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
  });

const clip = (text: string, max = 400) =>
  visible(text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

/** The request and response, ready to print. */
export function describe(
  route: RouteUnderTest,
  request: FuzzRequest,
  res: LightMyRequestResponse,
): Record<string, unknown> {
  const contentType = res.headers['content-type'];
  return {
    request: {
      method: request.method,
      url: urlOf(route, request),
      ...(request.body !== undefined && {
        contentType: request.body.contentType ?? '(none)',
        body: clip(request.body.payload),
      }),
      ...(request.mutation !== '' && { mutated: request.mutation }),
    },
    response: {
      status: res.statusCode,
      contentType: typeof contentType === 'string' ? contentType : '(none)',
      body: clip(res.body),
    },
  };
}

/** Thrown by the property for a request with problems; carries them and the exchange. */
export class FuzzFailure extends Error {
  constructor(
    readonly problems: Problem[],
    readonly details: Record<string, unknown>,
  ) {
    super(problems.map((p) => `${p.kind}: ${p.message}`).join('\n'));
    this.name = 'FuzzFailure';
  }
}

export interface FuzzOptions {
  seed: number;
  numRuns: number;
  ctx: GenContext;
  /** Keep going after the first failure: one shrunk request per distinct failure. */
  reportAll?: boolean;
  send: (request: FuzzRequest) => Promise<LightMyRequestResponse>;
  /** Requests not to send (those that would take the fuzzer's own session away). */
  skip?: (request: FuzzRequest, classification: Classification) => boolean;
}

export interface FuzzReport {
  /** The problems of each failing (shrunk) request, with the exchange to print. */
  failures: { problem: Problem; details: Record<string, unknown> }[];
  /** A failure of the harness itself (not of the route), as fast-check reports it. */
  harnessError?: string;
  sent: number;
  valid: number;
  statuses: Map<number, number>;
}

/** The most rounds of "report all" (each finds one more distinct failure, or ends). */
const MAX_ROUNDS = 40;

/** Fuzzes one route: fast-check runs, shrinks the first failing request, and reports it. */
export async function fuzzRoute(route: RouteUnderTest, options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { failures: [], sent: 0, valid: 0, statuses: new Map() };
  const known = new Set<string>();
  const property = fc.asyncProperty(requestArb(route, options.ctx), async (request) => {
    fc.pre(reachesRoute(request));
    const classification = classify(route, request);
    fc.pre(options.skip?.(request, classification) !== true);
    const res = await options.send(request);
    report.sent += 1;
    if (classification.valid && classification.lax.length === 0) report.valid += 1;
    report.statuses.set(res.statusCode, (report.statuses.get(res.statusCode) ?? 0) + 1);
    const problems = judge(route, classification, res).filter((p) => !known.has(p.signature));
    if (problems.length > 0) throw new FuzzFailure(problems, describe(route, request, res));
  });
  for (let round = 0; round < (options.reportAll === true ? MAX_ROUNDS : 1); round += 1) {
    const details = await fc.check(property, { seed: options.seed, numRuns: options.numRuns });
    if (!details.failed) break;
    const error = details.errorInstance;
    if (!(error instanceof FuzzFailure)) {
      report.harnessError = fc.defaultReportMessage(details);
      break;
    }
    for (const problem of error.problems) {
      known.add(problem.signature);
      report.failures.push({ problem, details: error.details });
    }
  }
  return report;
}

/** `200×12 400×3 …` */
export function statusCounts(report: FuzzReport): string {
  return [...report.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
}
