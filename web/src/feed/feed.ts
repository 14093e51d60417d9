/**
 * The realtime feed in the browser: one WebSocket per tab to /api/v1/ws, shared by every screen.
 *
 * A screen asks for a topic (`watch`); the first watcher subscribes it, the last one to leave
 * unsubscribes it. Each topic's state is a signal built from the server's snapshot and then its
 * events (feed/topics.ts). When the connection drops the feed says so (`connection`), reconnects
 * with a growing delay, subscribes every watched topic again and starts each from a fresh
 * snapshot, so nothing missed while away is left out. A close for an ended session (4001) is not
 * retried: the session is over, and the application goes back to the login screen.
 */
import { signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { stores, type TopicName, type TopicStates } from './topics';

export type Connection = 'connecting' | 'open' | 'lost' | 'ended';

/** Whether a topic's state is the server's: false before its snapshot, or when refused. */
export type TopicReadiness = 'waiting' | 'ready' | 'refused';

export interface Watched<T extends TopicName> {
  state: ReadonlySignal<TopicStates[T]>;
  readiness: ReadonlySignal<TopicReadiness>;
  release: () => void;
}

const SESSION_ENDED = 4001;
const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 10_000;

interface Topic {
  watchers: number;
  state: Signal<unknown>;
  readiness: Signal<TopicReadiness>;
}

type ServerMessage =
  | { type: 'snapshot'; topic: string; data: unknown }
  | { type: 'event'; topic: string; name: string; data: unknown }
  | { type: 'unsubscribed'; topic: string }
  | { type: 'error'; code: string; topic?: string }
  | { type: 'pong' };

export class Feed {
  private readonly connectionSignal = signal<Connection>('connecting');
  readonly connection: ReadonlySignal<Connection> = this.connectionSignal;
  private readonly topics = new Map<TopicName, Topic>();
  private socket: WebSocket | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: number | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly onSessionEnded: () => void,
  ) {
    this.connect();
  }

  /** The state of a topic, kept current while watched; call `release` when done. */
  watch<T extends TopicName>(name: T): Watched<T> {
    let topic = this.topics.get(name);
    if (topic === undefined) {
      topic = {
        watchers: 0,
        state: signal<unknown>(stores[name].empty()),
        readiness: signal<TopicReadiness>('waiting'),
      };
      this.topics.set(name, topic);
    }
    topic.watchers += 1;
    if (topic.watchers === 1) this.send({ type: 'subscribe', topics: [name] });
    let released = false;
    const watched = topic;
    return {
      state: watched.state as ReadonlySignal<TopicStates[T]>,
      readiness: watched.readiness,
      release: () => {
        if (released) return;
        released = true;
        watched.watchers -= 1;
        if (watched.watchers > 0) return;
        this.send({ type: 'unsubscribe', topics: [name] });
        this.topics.delete(name);
      },
    };
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.socket?.close(1000);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = FIRST_RETRY_MS;
      this.connectionSignal.value = 'open';
      const watched = [...this.topics.keys()];
      if (watched.length > 0) this.send({ type: 'subscribe', topics: watched });
    };
    socket.onmessage = (message) => this.receive(JSON.parse(String(message.data)) as ServerMessage);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const topic of this.topics.values()) topic.readiness.value = 'waiting';
      if (this.stopped) return;
      if (event.code === SESSION_ENDED) {
        this.connectionSignal.value = 'ended';
        this.onSessionEnded();
        return;
      }
      this.connectionSignal.value = 'lost';
      this.retryTimer = window.setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
    };
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'pong' || (message.type === 'error' && message.topic === undefined))
      return;
    const name = message.topic as TopicName;
    const topic = this.topics.get(name);
    if (topic === undefined) return;
    const store = stores[name] as {
      empty: () => unknown;
      fromSnapshot: (data: unknown) => unknown;
      onEvent: (state: unknown, name: string, data: unknown) => unknown;
    };
    if (message.type === 'snapshot') {
      topic.state.value = store.fromSnapshot(message.data);
      topic.readiness.value = 'ready';
    } else if (message.type === 'unsubscribed' || message.type === 'error') {
      // Not allowed (any more): a screen shows nothing rather than stale figures.
      topic.state.value = store.empty();
      topic.readiness.value = 'refused';
    } else if (topic.readiness.value === 'ready') {
      // Events before the snapshot are already in it.
      topic.state.value = store.onEvent(topic.state.value, message.name, message.data);
    }
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

/** The feed's address for a session: the page's own host, ws or wss as the page is. */
export function feedUrl(token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/v1/ws?token=${encodeURIComponent(token)}`;
}
