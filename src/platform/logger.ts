/**
 * The process logger (pino). Secrets must never reach a log line: authorization headers, token
 * query parameters and any field named like a password are redacted here, once, for every logger
 * derived from this one (Fastify's request loggers included).
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.pin',
  '*.newPin',
  '*.secret',
  '*.token',
  '*.apiKey',
];

/** Removes credentials from a URL's query string (the WebSocket accepts `?token=`). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|api_key|apiKey)=)[^&]*/gi, '$1[REDACTED]');
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    serializers: {
      req(req: { method: string; url: string; id: string; ip?: string }) {
        return { id: req.id, method: req.method, url: redactUrl(req.url), ip: req.ip };
      },
    },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
