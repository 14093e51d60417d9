/**
 * The route fuzz harness (test/support/route-fuzz.ts) on a small application: routes without
 * defects pass it, and each kind of defect it is meant to find is found.
 */
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import t from 'tap';
import { z } from 'zod';
import { errorResponses, notFound, registerErrorHandlers } from '../../src/platform/http/errors.js';
import { csvProblem, fuzzRoute, routeSchemas, urlOf } from '../support/route-fuzz.js';

/** No control, format (bidi, BOM) or separator characters. */
const cleanText = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,20}$/u;
const strictId = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/)
    .transform(Number),
});

interface Declared {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
}

async function smallApp(): Promise<{ app: FastifyInstance; routes: Declared[] }> {
  const app = Fastify();
  const routes: Declared[] = [];
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD') return;
    routes.push({ method: String(route.method), url: route.url, schema: route.schema });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);

  // Without defects.
  app.get('/items/:id', {
    schema: {
      params: strictId,
      querystring: z.object({
        limit: z
          .string()
          .regex(/^[1-9][0-9]?$/)
          .optional(),
      }),
      response: { 200: z.object({ id: z.number().int() }), ...errorResponses(400, 404) },
    },
    handler: async (request) => {
      const { id } = request.params as { id: number };
      if (id > 3) throw notFound('Item');
      return { id };
    },
  });
  app.post('/items', {
    schema: {
      body: z.object({
        name: z.string().regex(cleanText),
        tags: z
          .array(z.enum(['a', 'b']))
          .max(3)
          .optional(),
      }),
      response: { 201: z.object({ name: z.string() }), ...errorResponses(400, 415) },
    },
    handler: async (request, reply) =>
      reply.status(201).send({ name: (request.body as { name: string }).name }),
  });

  // With one defect each.
  app.get('/loose/:id', {
    schema: {
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 200: z.object({ id: z.number() }), ...errorResponses(400) },
    },
    handler: async (request) => ({ id: (request.params as { id: number }).id }),
  });
  app.post('/notes', {
    schema: {
      body: z.object({ text: z.string().min(1).max(50) }),
      response: { 201: z.object({ text: z.string() }), ...errorResponses(400) },
    },
    handler: async (request, reply) =>
      reply.status(201).send({ text: (request.body as { text: string }).text }),
  });
  app.get('/boom/:id', {
    schema: { params: strictId, response: { 200: z.object({}), ...errorResponses(400) } },
    handler: async (request) => {
      if ((request.params as { id: number }).id % 2 === 0) throw new Error('even');
      return {};
    },
  });
  app.get('/text', {
    schema: { response: { 200: z.string() } },
    handler: async (_request, reply) => reply.type('text/plain').send('hello'),
  });
  app.get('/wrong', {
    schema: { response: { 200: z.object({ n: z.number() }) } },
    handler: async (_request, reply) => reply.type('application/json').send('{"n":"one"}'),
  });
  app.get('/csv', {
    schema: { response: { 200: { content: { 'text/csv': { schema: z.string() } } } } },
    handler: async (_request, reply) => reply.type('text/csv').send('\uFEFF"a","b"\r\n"1"\r\n'),
  });
  app.get('/undeclared/:id', {
    schema: { params: strictId, response: { 200: z.object({}), ...errorResponses(400) } },
    handler: async (request) => {
      if ((request.params as { id: number }).id > 3) throw notFound('Thing');
      return {};
    },
  });
  await app.ready();
  return { app, routes };
}

const routeOf = (declared: Declared) => ({
  declaration: { ...declared, permission: 'public' as const, websocket: false },
  key: `${declared.method} ${declared.url}`,
  schema: routeSchemas(declared.schema),
});

/** What each route should be found guilty of (by signature); [] = nothing. */
const EXPECTED: Record<string, string[]> = {
  'GET /items/:id': [],
  'POST /items': [],
  'GET /loose/:id': ['invalid accepted: non-canonical number in params.id'],
  'POST /notes': ['undeclared status 415', 'invalid accepted: control character in body.text'],
  'GET /boom/:id': ['5xx 500 internal_error'],
  'GET /text': ['undeclared content type text/plain for 200'],
  'GET /wrong': ['response 200: response.n'],
  'GET /csv': ['malformed CSV: line N has 1 fields, the header 2'],
  'GET /undeclared/:id': ['undeclared status 404'],
};

t.test('clean routes pass; each defect is found and shrunk', async (t) => {
  const { app, routes } = await smallApp();
  t.teardown(() => app.close());
  t.same(routes.map((r) => `${r.method} ${r.url}`).sort(), Object.keys(EXPECTED).sort());

  for (const declared of routes) {
    const route = routeOf(declared);
    const key = route.key;
    const report = await fuzzRoute(route, {
      seed: 42,
      numRuns: 80,
      ctx: { wire: 'json', ids: [1, 2, 3], strings: [] },
      reportAll: true,
      send: async (request) =>
        app.inject({
          method: request.method as 'GET',
          url: urlOf(route, request),
          ...(request.body?.contentType !== undefined && {
            headers: { 'content-type': request.body.contentType },
          }),
          ...(request.body !== undefined && { payload: request.body.payload }),
        }),
    });
    t.equal(report.harnessError, undefined, `${key}: the harness runs`);
    const found = report.failures.map((f) => f.problem.signature).sort();
    t.same(found, [...(EXPECTED[key] ?? [])].sort(), `${key}: ${found.join('; ') || 'passes'}`);
  }
});

t.test('the minimal request of a failure is printed with its response', async (t) => {
  const { app, routes } = await smallApp();
  t.teardown(() => app.close());
  const declared = routes.find((r) => r.url === '/loose/:id');
  if (declared === undefined) throw new Error('no /loose/:id');
  const route = routeOf(declared);
  const report = await fuzzRoute(route, {
    seed: 7,
    numRuns: 80,
    ctx: { wire: 'json', ids: [1], strings: [] },
    send: async (request) => app.inject({ method: 'GET', url: urlOf(route, request) }),
  });
  t.equal(report.failures.length, 1);
  t.match(report.failures[0]?.details, {
    request: { method: 'GET', url: /^\/loose\/[^/]+$/ },
    response: { status: 200, body: /^\{"id":/ },
  });
});

t.test('RFC 4180 check of CSV bodies', async (t) => {
  t.equal(csvProblem('"a","b"\r\n"1","2"\r\n'), undefined);
  t.equal(csvProblem('a,b\n1,2'), undefined);
  t.equal(csvProblem('"a ""quoted""",b\n'), undefined);
  t.equal(csvProblem('\uFEFF"a"\n'), undefined, 'a leading BOM is allowed (Excel)');
  t.match(csvProblem('"a","b"\n"1"\n'), /line 2 has 1 fields/);
  t.match(csvProblem('a"b\n'), /quote inside an unquoted field/);
  t.match(csvProblem('"a\n'), /unterminated/);
});
