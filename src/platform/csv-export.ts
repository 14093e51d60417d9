/**
 * Writing CSV downloads (design §3): every cell quoted and neutralised (safeCell: a cell
 * starting with = + - @, tab or CR gets a leading quote, so a spreadsheet shows it rather than
 * runs it), text kept as stored (leading zeros too), CRLF line ends. A download is produced a
 * chunk of lines at a time and encoded chunk by chunk — never held whole — in UTF-8 with a BOM
 * (without which Excel on Japanese Windows reads the file as Shift_JIS) or in Shift_JIS (CP932).
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import iconv from 'iconv-lite';
import { safeCell } from './csv.js';
import { sendStream } from './http/stream-reply.js';

export type CsvExportEncoding = 'utf8' | 'shift_jis';

/** One line of the file: each cell neutralised and quoted, CRLF at the end. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map((c) => `"${safeCell(c).replace(/"/g, '""')}"`).join(',') + '\r\n';
}

/** The bytes of the file, chunk by chunk, in the chosen encoding. */
export function* encodedCsv(
  chunks: Iterable<string>,
  encoding: CsvExportEncoding,
): Generator<Buffer> {
  if (encoding === 'utf8') yield Buffer.from('\uFEFF', 'utf8');
  for (const text of chunks)
    yield encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'cp932');
}

/** A readable stream of the file: pulled chunk by chunk as the client takes it. */
export function csvStream(chunks: Iterable<string>, encoding: CsvExportEncoding): Readable {
  return Readable.from(encodedCsv(chunks, encoding));
}

/** Sends the file as an attachment (text/csv in its charset). */
export function sendCsv(
  reply: FastifyReply,
  fileName: string,
  encoding: CsvExportEncoding,
  chunks: Iterable<string>,
): FastifyReply {
  reply.header(
    'content-disposition',
    `attachment; filename="${fileName.replace(/["\\\r\n]/g, '')}"`,
  );
  return sendStream(
    reply,
    `text/csv; charset=${encoding === 'utf8' ? 'utf-8' : 'shift_jis'}`,
    csvStream(chunks, encoding),
  );
}
