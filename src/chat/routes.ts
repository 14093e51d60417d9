/** /chat/messages: post a chat message (§6-2) and read a day of them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { instant, multiLine, security } from '../platform/http/schemas.js';
import { REFERENCE_KINDS } from './references.js';
import { CHAT_BODY_MAX, type ChatService } from './service.js';

const rowId = z.number().int().positive();

const addresseeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agent'), agentId: rowId.nullable(), name: z.string() }),
  z.object({ type: z.literal('group'), groupId: rowId.nullable(), name: z.string() }),
  z.object({ type: z.literal('everyone') }),
]);

export const chatMessageSchema = z
  .object({
    id: rowId,
    sentAt: instant,
    from: z.object({
      kind: z.enum(['agent', 'api_key']),
      id: rowId.nullable().describe('null once the account is deleted'),
      name: z.string().describe('The nickname (or API key) when it was sent'),
    }),
    to: addresseeSchema.describe('An agent, a group or everyone (全員); the name when it was sent'),
    body: z.string(),
    bold: z.boolean().describe('太文字'),
    red: z.boolean().describe('赤文字'),
    alert: z.boolean().describe('🔊 the readers’ clients sound an alert'),
    links: z
      .array(
        z.object({
          kind: z.enum(REFERENCE_KINDS).describe('#C: customer (顧客), #T: case (案件)'),
          id: rowId,
          text: z.string().describe('As written, e.g. #C3'),
          start: z.number().int().describe('Where it starts in the body (UTF-16 code units)'),
          end: z.number().int().describe('Where it ends (exclusive)'),
          label: z
            .string()
            .nullable()
            .describe(
              'What it points at, as the reader may see it (#C3 開発代表); null when they may ' +
                'not see it, it does not exist, or in the live event (readers differ)',
            ),
        }),
      )
      .describe('The #C… / #T… references in the body, in order (ID links)'),
  })
  .describe('ChatMessage');

const postBody = z.object({
  to: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('agent'), agentId: rowId }),
      z.object({ type: z.literal('group'), groupId: rowId }),
      z.object({ type: z.literal('everyone') }),
    ])
    .describe('Whom it goes to: an agent, a group’s members, or everyone (全員)'),
  body: multiLine(CHAT_BODY_MAX)
    .trim()
    .min(1)
    .describe(`The text, 1–${CHAT_BODY_MAX} characters (trimmed); #C3 / #T458 become links`),
  bold: z.boolean().default(false),
  red: z.boolean().default(false),
  alert: z.boolean().default(false).describe('Needs chat.alert'),
});

export const chatRoutes: FastifyPluginAsyncZod<{ chat: ChatService }> = async (app, { chat }) => {
  const tags = ['chat'];

  app.post('/chat/messages', {
    config: { permission: 'chat.post' },
    schema: {
      tags,
      security,
      summary: 'Post a chat message to an agent, a group or everyone (チャット)',
      description:
        'The message reaches its readers on the `chat` topic (`chat_message_posted`): the agent ' +
        'it is addressed to, the group’s members, or everyone with chat.view — and its sender. ' +
        '`alert` needs chat.alert (403 without). 422 `unknown_agent` / `unknown_group` for an ' +
        'addressee that does not exist; nothing is stored then.',
      body: postBody,
      response: { 201: chatMessageSchema, ...errorResponses(400, 401, 403, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(chat.post(principalOf(request), request.body)),
  });

  app.get('/chat/messages', {
    config: { permission: 'chat.view' },
    schema: {
      tags,
      security,
      summary: 'The chat messages of a day that the caller may read, oldest first',
      description:
        'A day is a calendar day in the server’s time zone (`TIMEZONE`). One reads what was ' +
        'sent to them, to a group they are a member of now, to everyone, and what they sent; ' +
        'an API key reads what went to everyone and what it sent.',
      querystring: pageQuery.extend({
        date: z.iso.date().optional().describe('YYYY-MM-DD; today when omitted'),
      }),
      response: { 200: pageOf(chatMessageSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const { date, ...page } = request.query;
      return chat.history(principalOf(request), date, page);
    },
  });
};
