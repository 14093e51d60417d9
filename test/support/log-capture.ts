/**
 * A logger with the process logger's options (its redaction included) whose lines are kept for
 * the test to read, instead of printed.
 */
import { pino } from 'pino';
import { loggerOptions, type Logger } from '../../src/platform/logger.js';

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, as written (JSON). */
  text: () => string;
  /** The lines' messages at a level ('info', 'warn', …). */
  messages: (level: 'debug' | 'info' | 'warn' | 'error') => string[];
}

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export function captureLog(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const logger = pino(loggerOptions(level), {
    write: (line: string) => {
      lines.push(line);
    },
  });
  const parsed = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string });
  return {
    logger,
    text: () => lines.join(''),
    messages: (at) =>
      parsed()
        .filter((l) => l.level === LEVELS[at])
        .map((l) => l.msg),
  };
}
