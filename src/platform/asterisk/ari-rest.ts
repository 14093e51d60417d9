/**
 * ARI's REST requests made during calls (originate, answer, bridge, tag, play, hang up), over one
 * keep-alive HTTP agent of ours. ari-client sends every request through swagger-client and shred,
 * which cost about 1 ms of CPU per request in the ACD benchmark's profile (its basic-auth header
 * alone is recomputed by a slow btoa each time) and add to the time between a caller's arrival
 * and the agent's INVITE. ari-client keeps the event socket, its reconnection and the rest of the
 * API; these requests are the ones made for every call.
 *
 * Parameters go in the query string, as ARI reads them; only `variables` of an originate goes in
 * a JSON body. Errors are classified as ari-client's are (classifyAriError), from ARI's
 * `{"message": …}` answers.
 */
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { AriError, classifyAriError } from './ari-errors.js';

export type QueryValue = string | number | boolean | undefined;

export interface AriRest {
  /** `path` below /ari, e.g. `/channels/abc/answer`; resolves with the JSON answer, if any. */
  send<T = unknown>(
    operation: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    query?: Record<string, QueryValue>,
    body?: unknown,
  ): Promise<T>;
  close(): void;
}

export function createAriRest(settings: {
  baseUrl: string;
  user: string;
  password: string;
  timeoutMs: number;
}): AriRest {
  const url = new URL(settings.baseUrl);
  // Enough sockets for the requests of a burst of calls; idle ones stay open for the next.
  const agent = new Agent({ keepAlive: true, maxSockets: 32, keepAliveMsecs: 10_000 });
  const authorization = `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`;

  function queryString(query: Record<string, QueryValue> | undefined): string {
    if (query === undefined) return '';
    const parts: string[] = [];
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
    return parts.length === 0 ? '' : `?${parts.join('&')}`;
  }

  return {
    send<T>(
      operation: string,
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      path: string,
      query?: Record<string, QueryValue>,
      body?: unknown,
    ): Promise<T> {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise<T>((resolve, reject) => {
        const req = httpRequest(
          {
            agent,
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port,
            method,
            path: `/ari${path}${queryString(query)}`,
            headers: {
              authorization,
              ...(payload !== undefined && {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
            },
          },
          (res: IncomingMessage) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', (err) => reject(new AriError('unavailable', operation, err.message)));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) {
                if (text === '') return resolve(undefined as T);
                try {
                  return resolve(JSON.parse(text) as T);
                } catch {
                  return reject(
                    new AriError('failed', operation, `not JSON: ${text.slice(0, 80)}`),
                  );
                }
              }
              reject(classifyAriError(operation, new Error(text === '' ? `HTTP ${status}` : text)));
            });
          },
        );
        req.setTimeout(settings.timeoutMs, () => {
          req.destroy();
          reject(new AriError('timeout', operation, `no answer within ${settings.timeoutMs} ms`));
        });
        req.on('error', (err) => reject(classifyAriError(operation, err)));
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}
