/** A realtime-feed client for tests: connects, records every message, waits for the one wanted. */
import { WebSocket } from 'ws';

export interface FeedMessage {
  type: string;
  topic?: string;
  name?: string;
  data?: unknown;
  seq?: number;
  ts?: string;
  code?: string;
}

export interface FeedClient {
  messages: FeedMessage[];
  send(message: object): void;
  /** Resolves with the first message (already received or future) that matches. */
  waitFor(
    match: (m: FeedMessage) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<FeedMessage>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
  /** The underlying socket, for tests of transport behaviour. */
  socket: WebSocket;
}

export function connectFeed(
  baseUrl: string,
  token: string,
  via: 'header' | 'query' = 'header',
): Promise<FeedClient> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws${via === 'query' ? `?token=${encodeURIComponent(token)}` : ''}`;
  const socket = new WebSocket(
    url,
    via === 'header' ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  const messages: FeedMessage[] = [];
  const waiters = new Set<{
    match: (m: FeedMessage) => boolean;
    resolve: (m: FeedMessage) => void;
  }>();
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString('utf8')) as FeedMessage;
    messages.push(message);
    for (const waiter of waiters) {
      if (waiter.match(message)) {
        waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );

  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (req, res) => {
      // Release the refused upgrade, or the server's close() waits for it.
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
    });
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        messages,
        send: (message) => socket.send(JSON.stringify(message)),
        waitFor(match, timeoutMs = 10_000, what = 'a matching message') {
          const seen = messages.find(match);
          if (seen !== undefined) return Promise.resolve(seen);
          return new Promise((res, rej) => {
            const waiter = { match, resolve: res };
            waiters.add(waiter);
            setTimeout(() => {
              if (waiters.delete(waiter)) {
                rej(
                  new Error(
                    `timed out waiting for ${what}; got ${JSON.stringify(messages.slice(-5))}`,
                  ),
                );
              }
            }, timeoutMs);
          });
        },
        closed,
        close: () => socket.close(),
        socket,
      }),
    );
  });
}

/**
 * A feed subscribed to `topics`, returned once every topic's snapshot has come, so that what the
 * test does next shows up as events after them.
 */
export async function subscribedFeed(
  baseUrl: string,
  token: string,
  topics: string[],
): Promise<FeedClient> {
  const feed = await connectFeed(baseUrl, token);
  try {
    feed.send({ type: 'subscribe', topics });
    for (const topic of topics) {
      await feed.waitFor(
        (m) => m.type === 'snapshot' && m.topic === topic,
        10_000,
        `the ${topic} snapshot`,
      );
    }
    return feed;
  } catch (error) {
    feed.close();
    throw error;
  }
}
