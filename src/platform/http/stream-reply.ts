/**
 * Sending a stream as a route's body. A route typed by its response schema accepts only values of
 * that schema; a stream that will produce such a body (written out page by page, never held
 * whole) goes through Fastify's untyped reply instead, in this one place.
 */
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export function sendStream(reply: FastifyReply, contentType: string, body: Readable): FastifyReply {
  return reply.type(contentType).send(body);
}
