/** Small query helpers shared by the list endpoints. */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** `column LIKE %text%` with the text's own % and _ taken literally. */
export function contains(column: SQLWrapper, text: string): SQL {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`${column} LIKE ${`%${escaped}%`} ESCAPE '\\'`;
}
