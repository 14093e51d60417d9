/**
 * What each realtime topic holds in the browser, and how its snapshot and its events build that
 * state. A screen never handles feed messages: it reads a topic's state (feed/use-topic.ts), and
 * this file is the one place that knows the events. The payloads are the REST API's shapes (the
 * feed sends what GET answers), so their types come from the OpenAPI document.
 */
import type { Answer, ItemOf } from '../api/client';
import { autocallStore, type AutocallState } from './autocall';
import { campaignsStore, type CampaignsState } from './campaigns';

export type AgentStatus = ItemOf<'/api/v1/agents/status'>;
export type LiveCall = ItemOf<'/api/v1/calls'>;
export type ParkedCall = ItemOf<'/api/v1/parked-calls'>;
export type ConferenceRoom = ItemOf<'/api/v1/conferences'>;
export type Participant = ConferenceRoom['participants'][number];
export type MonitoringSession = ItemOf<'/api/v1/monitoring-sessions'>;
export type ChatMessage = ItemOf<'/api/v1/chat/messages'>;
export type GroupStats = Answer<'/api/v1/stats/realtime', 'get'>['groups'][number];
export type Voicemail = ItemOf<'/api/v1/voicemails'>;

/** A transfer as the `calls` topic's transfer events carry it. */
export interface TransferEvent {
  id: string;
  callId: string;
  mode: 'blind' | 'attended';
  state: string;
  number: string;
  initiatorAgentId: number | null;
  recipientAgentId: number | null;
}

/** A terminal's registration as `terminal_registration_changed` tells it. */
export interface TerminalRegistration {
  terminalId: number;
  sipUser: string;
  registered: boolean;
  agentId: number | null;
}

export interface AsteriskLinks {
  ari: string;
  ami: string;
}

export interface TopicStates {
  /** The links to Asterisk (the phones work only while both are up). */
  system: { asterisk: AsteriskLinks | null };
  agents: { agents: Map<number, AgentStatus>; terminals: Map<number, TerminalRegistration> };
  /** `recalls`: the recall badge's count as last pushed (null before the first push). */
  me: {
    status: AgentStatus | null;
    calls: Map<string, LiveCall>;
    recalls: { count: number; changes: number } | null;
  };
  calls: { calls: Map<string, LiveCall>; transfers: Map<string, TransferEvent> };
  groups: { groups: GroupStats[]; all: GroupStats | null };
  parked: { parked: ParkedCall[] };
  conferences: { rooms: ConferenceRoom[] };
  monitoring: { sessions: MonitoringSession[] };
  chat: { messages: ChatMessage[] };
  /** Bumped by every presence change: a panel reads GET /presence again when it moves. */
  presence: { changes: number; last: PresenceChange | null };
  /** The layouts' summaries; per layout, how often it changed since the page subscribed. */
  seat_layouts: { layouts: SeatLayoutSummary[]; changes: Map<number, number> };
  /**
   * The latest messages and the last one left since the snapshot; `changes` counts every event
   * since the snapshot (a list shown reloads on it).
   */
  voicemails: { recent: Voicemail[]; received: Voicemail | null; changes: number };
  /** CSV uploads (§10-13): the latest progress of each job seen, and the jobs that ended. */
  imports: {
    progress: Map<number, ImportProgress>;
    /** How many import_progress events of each job came since the snapshot. */
    updates: Map<number, number>;
    finished: Map<number, ImportFinished>;
  };
  /** Autodial campaigns: live figures, recent attempts, my previews and results asked for. */
  campaigns: CampaignsState;
  /** MOT autocall: my session and its latest event. */
  autocall: AutocallState;
}

/** What `import_progress` says: rows done of the total, while reading and then writing. */
export interface ImportProgress {
  jobId: number;
  kind: string;
  phase: 'reading' | 'writing';
  done: number;
  total: number;
}

/** What `import_finished` says: the job's end and its counts (the report is GET /imports/{id}). */
export interface ImportFinished {
  jobId: number;
  kind: string;
  status: 'queued' | 'running' | 'finished' | 'failed';
  total: number;
  applied: number;
  skipped: number;
}

export type SeatLayoutSummary = ItemOf<'/api/v1/seat-layouts'>;

/** What `presence_changed` says: whose presence changed, and their status now. */
export interface PresenceChange {
  agentId: number;
  status: AgentStatus['status'];
  customStatusId: number | null;
  since: string;
  registered: boolean;
}

export type TopicName = keyof TopicStates;

export interface TopicStore<S> {
  /** Before the snapshot has come (and after the topic was refused). */
  empty: () => S;
  fromSnapshot: (data: unknown) => S;
  /** The state after an event; the same object when the event does not concern it. */
  onEvent: (state: S, name: string, data: unknown) => S;
}

type Stores = { [T in TopicName]: TopicStore<TopicStates[T]> };

const CALL_EVENTS = new Set([
  'call_created',
  'call_ringing',
  'call_answered',
  'call_held',
  'call_resumed',
  'call_party_left',
]);

function withCall(calls: Map<string, LiveCall>, name: string, data: unknown) {
  const call = data as LiveCall;
  if (name === 'call_ended') {
    if (!calls.has(call.id)) return calls;
    const next = new Map(calls);
    next.delete(call.id);
    return next;
  }
  if (!CALL_EVENTS.has(name)) return calls;
  return new Map(calls).set(call.id, call);
}

const byId = <T, K>(items: T[], key: (item: T) => K) => new Map(items.map((i) => [key(i), i]));

/** Upserts a participant in its room (a new room when it is the first), or drops one. */
function withParticipant(rooms: ConferenceRoom[], name: string, p: Participant): ConferenceRoom[] {
  const others = (room: ConferenceRoom) => room.participants.filter((q) => q.id !== p.id);
  const next = rooms.map((room) =>
    room.room !== p.room
      ? room
      : {
          ...room,
          participants: name === 'participant_left' ? others(room) : [...others(room), p],
        },
  );
  if (name !== 'participant_left' && !rooms.some((r) => r.room === p.room))
    next.push({ room: p.room, participants: [p] });
  return next.filter((room) => room.participants.length > 0);
}

export const stores: Stores = {
  system: {
    empty: () => ({ asterisk: null }),
    fromSnapshot: (data) => ({ asterisk: (data as { asterisk: AsteriskLinks }).asterisk }),
    onEvent: (state, name, data) =>
      name === 'asterisk_connection_changed' ? { asterisk: data as AsteriskLinks } : state,
  },
  agents: {
    empty: () => ({ agents: new Map(), terminals: new Map() }),
    fromSnapshot: (data) => ({
      agents: byId((data as { agents: AgentStatus[] }).agents, (a) => a.agentId),
      terminals: new Map(),
    }),
    onEvent: (state, name, data) => {
      if (name === 'agent_status_changed') {
        const status = data as AgentStatus;
        return { ...state, agents: new Map(state.agents).set(status.agentId, status) };
      }
      if (name === 'terminal_registration_changed') {
        const terminal = data as TerminalRegistration;
        return {
          ...state,
          terminals: new Map(state.terminals).set(terminal.terminalId, terminal),
        };
      }
      return state;
    },
  },
  me: {
    empty: () => ({ status: null, calls: new Map(), recalls: null }),
    fromSnapshot: (data) => ({
      status: (data as { status: AgentStatus }).status,
      calls: new Map(),
      recalls: null,
    }),
    onEvent: (state, name, data) => {
      if (name === 'agent_status_changed') return { ...state, status: data as AgentStatus };
      if (name === 'recalls_changed') {
        const { count } = data as { count: number };
        return { ...state, recalls: { count, changes: (state.recalls?.changes ?? 0) + 1 } };
      }
      const calls = withCall(state.calls, name, data);
      return calls === state.calls ? state : { ...state, calls };
    },
  },
  calls: {
    empty: () => ({ calls: new Map(), transfers: new Map() }),
    fromSnapshot: (data) => ({
      calls: byId((data as { calls: LiveCall[] }).calls, (c) => c.id),
      transfers: new Map(),
    }),
    onEvent: (state, name, data) => {
      if (name.startsWith('transfer_')) {
        const transfer = data as TransferEvent;
        const transfers = new Map(state.transfers);
        if (name === 'transfer_created' || name === 'transfer_answered')
          transfers.set(transfer.id, transfer);
        else transfers.delete(transfer.id);
        return { ...state, transfers };
      }
      const calls = withCall(state.calls, name, data);
      return calls === state.calls ? state : { ...state, calls };
    },
  },
  groups: {
    empty: () => ({ groups: [], all: null }),
    fromSnapshot: (data) => data as TopicStates['groups'],
    onEvent: (state, name, data) => {
      if (name !== 'queue_stats') return state;
      const pushed = data as { groups: GroupStats[]; all: GroupStats };
      const changed = byId(pushed.groups, (g) => g.groupId);
      const groups = state.groups.map((g) => changed.get(g.groupId) ?? g);
      for (const g of pushed.groups)
        if (!state.groups.some((s) => s.groupId === g.groupId)) groups.push(g);
      return { groups, all: pushed.all };
    },
  },
  parked: {
    empty: () => ({ parked: [] }),
    fromSnapshot: (data) => data as TopicStates['parked'],
    onEvent: (state, name, data) => {
      const parked = data as ParkedCall;
      const others = state.parked.filter((p) => p.slot !== parked.slot);
      if (name === 'call_parked' || name === 'parked_call_timed_out')
        return { parked: [...others, parked].sort((a, b) => a.slot.localeCompare(b.slot)) };
      if (name === 'call_unparked' || name === 'parked_call_abandoned') return { parked: others };
      return state;
    },
  },
  conferences: {
    empty: () => ({ rooms: [] }),
    fromSnapshot: (data) => data as TopicStates['conferences'],
    onEvent: (state, name, data) =>
      name.startsWith('participant_')
        ? { rooms: withParticipant(state.rooms, name, data as Participant) }
        : state,
  },
  monitoring: {
    empty: () => ({ sessions: [] }),
    fromSnapshot: (data) => data as TopicStates['monitoring'],
    onEvent: (state, name, data) => {
      const session = data as MonitoringSession;
      const others = state.sessions.filter((s) => s.id !== session.id);
      if (name === 'monitoring_ended') return { sessions: others };
      if (name.startsWith('monitoring_')) return { sessions: [...others, session] };
      return state;
    },
  },
  presence: {
    empty: () => ({ changes: 0, last: null }),
    fromSnapshot: () => ({ changes: 0, last: null }),
    onEvent: (state, name, data) =>
      name === 'presence_changed'
        ? { changes: state.changes + 1, last: data as PresenceChange }
        : state,
  },
  seat_layouts: {
    empty: () => ({ layouts: [], changes: new Map() }),
    fromSnapshot: (data) => ({
      layouts: (data as { layouts: SeatLayoutSummary[] }).layouts,
      changes: new Map(),
    }),
    onEvent: (state, name, data) => {
      if (name !== 'layout_changed') return state;
      const { layoutId, change, layout } = data as {
        layoutId: number;
        change: 'created' | 'updated' | 'items_replaced' | 'deleted';
        layout: SeatLayoutSummary;
      };
      const others = state.layouts.filter((l) => l.id !== layoutId);
      return {
        layouts: change === 'deleted' ? others : [...others, layout],
        changes: new Map(state.changes).set(layoutId, (state.changes.get(layoutId) ?? 0) + 1),
      };
    },
  },
  voicemails: {
    empty: () => ({ recent: [], received: null, changes: 0 }),
    fromSnapshot: (data) => ({
      recent: (data as { recent: Voicemail[] }).recent,
      received: null,
      changes: 0,
    }),
    onEvent: (state, name, data) => {
      const changes = state.changes + 1;
      if (name === 'voicemail_received') {
        const { voicemail } = data as { voicemail: Voicemail };
        return {
          recent: [voicemail, ...state.recent].slice(0, 20),
          received: voicemail,
          changes,
        };
      }
      if (name === 'voicemail_mail_status') {
        const { voicemailId, mailStatus } = data as Pick<Voicemail, 'mailStatus'> & {
          voicemailId: number;
        };
        return {
          ...state,
          recent: state.recent.map((v) => (v.id === voicemailId ? { ...v, mailStatus } : v)),
          changes,
        };
      }
      if (name === 'voicemails_deleted') {
        const ids = new Set((data as { ids: number[] }).ids);
        return { ...state, recent: state.recent.filter((v) => !ids.has(v.id)), changes };
      }
      return state;
    },
  },
  imports: {
    empty: () => ({ progress: new Map(), updates: new Map(), finished: new Map() }),
    fromSnapshot: (data) => ({
      progress: byId((data as { running: ImportProgress[] }).running, (p) => p.jobId),
      updates: new Map(),
      finished: new Map(),
    }),
    onEvent: (state, name, data) => {
      if (name === 'import_progress') {
        const progress = data as ImportProgress;
        return {
          ...state,
          progress: new Map(state.progress).set(progress.jobId, progress),
          updates: new Map(state.updates).set(
            progress.jobId,
            (state.updates.get(progress.jobId) ?? 0) + 1,
          ),
        };
      }
      if (name === 'import_finished') {
        const finished = data as ImportFinished;
        return { ...state, finished: new Map(state.finished).set(finished.jobId, finished) };
      }
      return state;
    },
  },
  campaigns: campaignsStore,
  autocall: autocallStore,
  chat: {
    empty: () => ({ messages: [] }),
    fromSnapshot: (data) => data as TopicStates['chat'],
    onEvent: (state, name, data) =>
      name === 'chat_message_posted'
        ? { messages: [...state.messages, data as ChatMessage].slice(-200) }
        : state,
  },
};
