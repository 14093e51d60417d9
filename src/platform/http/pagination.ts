/** The list conventions of design §3: `limit` and `offset` in, `{ items, total }` out. */
import { z } from 'zod';
import { decimalInteger } from './schemas.js';

export const pageQuery = z.object({
  limit: decimalInteger({ min: 1, max: 500 }).default(50).describe('Rows per page (1-500)'),
  offset: decimalInteger().default(0).describe('Rows to skip'),
});

export type PageQuery = z.infer<typeof pageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

export interface Page<T> {
  items: T[];
  total: number;
}
