/**
 * Reads one HTTP/1.1 response off the bytes a connection has received so far: the framing the
 * lean ARI client needs (Content-Length, chunked, or a body that ends with the connection). Pure:
 * the connection keeps the bytes and asks again when more arrive.
 */

export interface HttpResponse {
  status: number;
  body: Buffer;
  /** Whether the connection may carry the next request. */
  keepAlive: boolean;
  /** How many bytes of the input the response took. */
  length: number;
}

export type ParseResult = { complete: HttpResponse } | { incomplete: true } | { malformed: string };

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const INCOMPLETE = { incomplete: true } as const;

/**
 * The response at the start of `input`. `closed` says the connection has ended, which completes
 * a body that had no length.
 */
export function parseResponse(input: Buffer, closed = false): ParseResult {
  const headerEnd = input.indexOf(HEADER_END);
  if (headerEnd < 0) return closed ? { malformed: 'connection closed mid-response' } : INCOMPLETE;
  const lines = input.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const statusLine = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
  if (statusLine === null) return { malformed: `not an HTTP response: ${lines[0] ?? ''}` };
  const minor = statusLine[1];
  const status = Number(statusLine[2]);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const connection = headers.get('connection')?.toLowerCase();
  const keepAlive = minor === '1' ? connection !== 'close' : connection === 'keep-alive';
  const bodyStart = headerEnd + HEADER_END.length;

  if (status === 204 || status === 304 || (status >= 100 && status < 200))
    return { complete: { status, body: Buffer.alloc(0), keepAlive, length: bodyStart } };

  if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked'))
    return chunked(input, bodyStart, status, keepAlive, closed);

  const declared = headers.get('content-length');
  if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isInteger(length) || length < 0)
      return { malformed: `bad Content-Length: ${declared}` };
    if (input.length < bodyStart + length)
      return closed ? { malformed: 'connection closed mid-body' } : INCOMPLETE;
    return {
      complete: {
        status,
        body: input.subarray(bodyStart, bodyStart + length),
        keepAlive,
        length: bodyStart + length,
      },
    };
  }
  // No length: the body is whatever comes until the server closes the connection.
  if (!closed) return INCOMPLETE;
  return {
    complete: { status, body: input.subarray(bodyStart), keepAlive: false, length: input.length },
  };
}

function chunked(
  input: Buffer,
  start: number,
  status: number,
  keepAlive: boolean,
  closed: boolean,
): ParseResult {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = input.indexOf(CRLF, at);
    if (lineEnd < 0) break;
    const size = parseInt(input.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) return { malformed: 'bad chunk size' };
    const dataStart = lineEnd + CRLF.length;
    if (size === 0) {
      // The last chunk, then (no trailers from Asterisk) the empty line.
      if (input.length < dataStart + CRLF.length) break;
      return {
        complete: {
          status,
          body: Buffer.concat(parts),
          keepAlive,
          length: dataStart + CRLF.length,
        },
      };
    }
    if (input.length < dataStart + size + CRLF.length) break;
    parts.push(input.subarray(dataStart, dataStart + size));
    at = dataStart + size + CRLF.length;
  }
  return closed ? { malformed: 'connection closed mid-body' } : INCOMPLETE;
}
