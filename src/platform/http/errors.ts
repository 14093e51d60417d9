/**
 * One error shape for every failure the API reports (design §2 rule 4):
 *   { "error": { "code": "snake_case", "message": "for a human", "details": ... } }
 * Services throw `HttpError`s; the handler below turns those, validation failures and Fastify's
 * own errors into that shape, and hides everything else behind a 500 with no stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Response headers that go with the error, e.g. Retry-After of a 429. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new HttpError(400, code, message, details);
export const unauthorized = (code: string, message: string) => new HttpError(401, code, message);
export const forbidden = (code: string, message: string, details?: unknown) =>
  new HttpError(403, code, message, details);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new HttpError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new HttpError(422, code, message, details);

/** The response schema of every error, for OpenAPI. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. validation_failed'),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .describe('Error');

/** Standard error responses to merge into a route's `response` schema. */
export function errorResponses(
  ...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 422 | 423 | 429 | 503)[]
) {
  return Object.fromEntries(statuses.map((s) => [s, errorResponseSchema])) as Record<
    number,
    typeof errorResponseSchema
  >;
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
};

/**
 * Installs the error and not-found handlers. `translate` turns errors of a port (e.g. ARI's)
 * into what they mean over HTTP; what it does not know stays a 500.
 */
/**
 * Declares on every route the errors the platform itself answers before the route's handler
 * runs, so that the OpenAPI document says what the server does: 400 for input that breaks the
 * route's schemas, 414 for a path parameter over the router's limit, 401 / 403 unless the route
 * is public, and 413 / 415 for a body too large or of another type. Add before the routes.
 */
export function declareStandardErrors(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (schema?.response === undefined || schema.response === null) return;
    const statuses: Parameters<typeof errorResponses> = [];
    if (
      schema.params !== undefined ||
      schema.querystring !== undefined ||
      schema.body !== undefined
    )
      statuses.push(400);
    if (schema.params !== undefined) statuses.push(414);
    if (route.config?.permission !== 'public') statuses.push(401, 403);
    if (schema.body !== undefined) statuses.push(413, 415);
    // In place: whoever holds the route's schema (the route declarations) sees the same.
    schema.response = { ...errorResponses(...statuses), ...schema.response };
  });
}

/**
 * Fastify's router refuses some requests before any route or error handler sees them (a path
 * parameter over maxParamLength, a URL it cannot decode): answered in the one error shape too.
 */
export function frameworkErrors(
  err: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send(body('uri_too_long', 'A path parameter is too long'));
    return;
  }
  void reply.status(400).send(body('bad_url', 'The URL cannot be read'));
}

export function registerErrorHandlers(
  app: FastifyInstance,
  translate: (err: unknown) => HttpError | undefined = () => undefined,
): void {
  app.setErrorHandler((raw: FastifyError | HttpError, request, reply) => {
    const err = translate(raw) ?? raw;
    if (err instanceof HttpError) {
      if (err.headers !== undefined) reply.headers(err.headers);
      return reply.status(err.statusCode).send(body(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        in: err.validationContext ?? 'request',
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send(body('validation_failed', 'The request is not valid', details));
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      const code = FASTIFY_CODES[err.code] ?? 'bad_request';
      return reply.status(status).send(body(code, err.message));
    }
    request.log.error({ err }, 'request failed');
    return reply.status(500).send(body('internal_error', 'Internal server error'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(body('not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
