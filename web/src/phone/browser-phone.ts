/**
 * The browser phone: a WebRTC softphone (JsSIP) registered as the agent's WebRTC terminal over
 * the server's SIP WebSocket (/api/v1/sip), with DTLS-SRTP media straight to Asterisk (ICE).
 *
 * One call at a time: a second incoming call while busy is refused (486). Digits in a call go as
 * SIP INFO, which Asterisk hands to the server like a desk phone's, so the feature codes (#72,
 * #8 …) work. The remote party is played on the given <audio> element. State changes are
 * reported to `onChange` listeners as a snapshot.
 */
import { C, UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';

export type RegistrationState = 'off' | 'connecting' | 'registered' | 'unregistered' | 'failed';
export type CallState = 'idle' | 'calling' | 'ringing' | 'in_call';

export interface PhoneSnapshot {
  registration: RegistrationState;
  call: CallState;
  /** The other party's number (or name) while a call is up or ringing. */
  remote: string | null;
  /** Why the last registration or call failed (JsSIP's cause), if it did. */
  cause: string | null;
}

export interface BrowserPhoneOptions {
  /** ws(s)://…/api/v1/sip?token=… */
  websocketUrl: string;
  sipUri: string;
  password: string;
  iceServers: RTCIceServer[];
  /** Where the other party is heard. */
  audio: HTMLAudioElement;
}

/** What getStats says about the call's audio. */
export interface AudioStats {
  /** Received: the inbound RTP's totalAudioEnergy and audioLevel (0–1). */
  inboundEnergy: number;
  inboundLevel: number;
  packetsReceived: number;
  packetsSent: number;
}

/** The microphone as a softphone wants it; no video. */
const MEDIA: MediaStreamConstraints = { audio: true, video: false };
/** With STUN/TURN configured, JsSIP would wait for gathering to end: this long at most. */
const ICE_WAIT_MS = 1000;
/** How long switching off waits for the un-REGISTER's answer. */
const UNREGISTER_WAIT_MS = 3000;

export class BrowserPhone {
  private readonly ua: UA;
  private session: RTCSession | null = null;
  private snapshot: PhoneSnapshot = {
    registration: 'off',
    call: 'idle',
    remote: null,
    cause: null,
  };
  private readonly listeners = new Set<(snapshot: PhoneSnapshot) => void>();

  constructor(private readonly options: BrowserPhoneOptions) {
    this.ua = new UA({
      sockets: [new WebSocketInterface(options.websocketUrl)],
      uri: options.sipUri,
      password: options.password,
      register: true,
      register_expires: 300,
      session_timers: true,
      user_agent: 'callcenter-browser-phone',
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
    });
    this.ua.on('connecting', () => this.update({ registration: 'connecting' }));
    this.ua.on('registered', () => this.update({ registration: 'registered', cause: null }));
    this.ua.on('unregistered', () => this.update({ registration: 'unregistered' }));
    this.ua.on('registrationFailed', (e) =>
      this.update({ registration: 'failed', cause: e.cause ?? null }),
    );
    this.ua.on('disconnected', () => {
      if (this.snapshot.registration !== 'off') this.update({ registration: 'connecting' });
    });
    this.ua.on('newRTCSession', (e: RTCSessionEvent) => this.adopt(e));
  }

  get state(): PhoneSnapshot {
    return this.snapshot;
  }

  onChange(listener: (snapshot: PhoneSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects and registers. */
  start(): void {
    this.update({ registration: 'connecting', cause: null });
    this.ua.start();
  }

  /** Hangs up, unregisters (waiting briefly for the answer) and disconnects. */
  async stop(): Promise<void> {
    this.hangUp();
    if (this.ua.isRegistered()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, UNREGISTER_WAIT_MS);
        this.ua.once('unregistered', () => {
          clearTimeout(timer);
          resolve();
        });
        this.ua.unregister();
      });
    }
    this.ua.stop();
    this.update({ registration: 'off', call: 'idle', remote: null });
  }

  call(number: string): void {
    if (this.session !== null || number.trim() === '') return;
    const host = this.options.sipUri.replace(/^sips?:[^@]*@/, '');
    this.ua.call(`sip:${encodeURIComponent(number.trim())}@${host}`, {
      mediaConstraints: MEDIA,
      pcConfig: { iceServers: this.options.iceServers },
    });
  }

  answer(): void {
    const session = this.session;
    if (session === null || this.snapshot.call !== 'ringing') return;
    session.answer({
      mediaConstraints: MEDIA,
      pcConfig: { iceServers: this.options.iceServers },
    });
  }

  hangUp(): void {
    const session = this.session;
    if (session === null) return;
    try {
      session.terminate();
    } catch {
      // Already ending.
    }
  }

  /** Keys digits into the call (SIP INFO), e.g. "#72" to park it. */
  sendDtmf(tones: string): void {
    const session = this.session;
    if (session === null || this.snapshot.call !== 'in_call') return;
    session.sendDTMF(tones, {
      transportType: C.DTMF_TRANSPORT.INFO,
      duration: 120,
      interToneGap: 150,
    });
  }

  /** The call's audio as getStats reports it; undefined without a call. */
  async stats(): Promise<AudioStats | undefined> {
    const connection = this.session === null ? null : connectionOf(this.session);
    if (connection === null) return undefined;
    const stats: AudioStats = {
      inboundEnergy: 0,
      inboundLevel: 0,
      packetsReceived: 0,
      packetsSent: 0,
    };
    const report = await connection.getStats();
    report.forEach((entry: Record<string, unknown>) => {
      if (entry.kind !== 'audio') return;
      if (entry.type === 'inbound-rtp') {
        stats.inboundEnergy = Number(entry.totalAudioEnergy ?? 0);
        stats.inboundLevel = Number(entry.audioLevel ?? 0);
        stats.packetsReceived = Number(entry.packetsReceived ?? 0);
      } else if (entry.type === 'outbound-rtp') {
        stats.packetsSent = Number(entry.packetsSent ?? 0);
      }
    });
    return stats;
  }

  private adopt(event: RTCSessionEvent): void {
    const session = event.session;
    if (this.session !== null) {
      // Busy: one call at a time.
      if (fromRemote(event)) session.terminate({ status_code: 486 });
      return;
    }
    this.session = session;
    const identity = session.remote_identity;
    const remote = identity.uri.user || identity.display_name || null;
    this.update({
      call: fromRemote(event) ? 'ringing' : 'calling',
      remote,
      cause: null,
    });
    // The peer connection exists already for a call we make; for one we answer, on answer().
    const connection = connectionOf(session);
    if (connection !== null) this.playRemote(connection);
    else session.on('peerconnection', (e) => this.playRemote(e.peerconnection));
    let waiting: ReturnType<typeof setTimeout> | undefined;
    session.on('icecandidate', (e) => {
      if (e.candidate.type === 'srflx' || e.candidate.type === 'relay') e.ready();
      else waiting ??= setTimeout(e.ready, ICE_WAIT_MS);
    });
    session.on('sdp', () => clearTimeout(waiting));
    session.on('accepted', () => this.update({ call: 'in_call' }));
    session.on('confirmed', () => this.update({ call: 'in_call' }));
    const ended = (cause: string | undefined) => {
      if (this.session !== session) return;
      this.session = null;
      this.options.audio.srcObject = null;
      this.update({ call: 'idle', remote: null, cause: cause ?? null });
    };
    session.on('ended', (e) => ended(e.cause));
    session.on('failed', (e) => ended(e.cause));
  }

  private playRemote(connection: RTCPeerConnection): void {
    connection.addEventListener('track', (event) => {
      const audio = this.options.audio;
      audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      void audio.play().catch(() => undefined);
    });
  }

  private update(change: Partial<PhoneSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener(this.snapshot);
  }
}

/** A call that Asterisk offers us (not one we make). */
const fromRemote = (event: RTCSessionEvent) => (event.originator as string) === 'remote';

/** The session's peer connection: JsSIP's types say it is always there; before answer() it is not. */
const connectionOf = (session: RTCSession) =>
  (session.connection as RTCPeerConnection | null | undefined) ?? null;
