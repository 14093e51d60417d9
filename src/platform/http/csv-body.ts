/**
 * CSV uploads arrive as the raw file (Content-Type text/csv, or application/octet-stream as a
 * browser sends a file it cannot name), not as multipart: the route gets the bytes as a Buffer.
 * Registered per plugin, for the routes that take a file.
 */
import type { FastifyInstance } from 'fastify';
import { CSV_MAX_BYTES } from '../csv.js';

export function acceptCsvBodies(app: FastifyInstance, maxBytes = CSV_MAX_BYTES): void {
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_req, body, done) => done(null, body),
  );
}
