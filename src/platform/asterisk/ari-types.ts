/**
 * The ARI objects and events the rest of the code sees: plain data, typed by hand from
 * Asterisk's rest-api/api-docs (fields present since Asterisk 16). Only src/platform/asterisk
 * talks to ari-client; everything else works with these.
 */

export interface AriCallerId {
  name: string;
  number: string;
}

export interface AriChannel {
  id: string;
  name: string;
  state:
    | 'Down'
    | 'Rsrved'
    | 'OffHook'
    | 'Dialing'
    | 'Ring'
    | 'Ringing'
    | 'Up'
    | 'Busy'
    | 'Dialing Offhook'
    | 'Pre-ring'
    | 'Unknown';
  caller: AriCallerId;
  connected: AriCallerId;
  accountcode: string;
  dialplan: {
    context: string;
    exten: string;
    priority: number;
    app_name?: string;
    app_data?: string;
  };
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export interface AriBridge {
  id: string;
  technology: string;
  bridge_type: 'mixing' | 'holding';
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime?: string;
}

export interface AriPlayback {
  id: string;
  media_uri: string;
  target_uri: string;
  language?: string;
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

export interface AriLiveRecording {
  name: string;
  format: string;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  target_uri: string;
  duration?: number;
  cause?: string;
}

export interface AriEndpoint {
  technology: string;
  resource: string;
  state?: 'unknown' | 'offline' | 'online';
  channel_ids: string[];
}

export interface AriContactInfo {
  uri: string;
  contact_status: 'Unreachable' | 'Reachable' | 'Unknown' | 'NonQualified' | 'Removed';
  aor: string;
  roundtrip_usec?: string;
}

export interface AsteriskInfo {
  system?: { version: string; entity_id: string };
  build?: {
    os: string;
    kernel: string;
    machine: string;
    date: string;
    user: string;
    options: string;
  };
  status?: { startup_time: string; last_reload_time: string };
}

interface Base {
  application: string;
  timestamp: string;
  asterisk_id?: string;
}

export type AriEvent =
  | (Base & {
      type: 'StasisStart';
      args: string[];
      channel: AriChannel;
      replace_channel?: AriChannel;
    })
  | (Base & { type: 'StasisEnd'; channel: AriChannel })
  | (Base & { type: 'ChannelStateChange'; channel: AriChannel })
  | (Base & {
      type: 'ChannelDestroyed';
      channel: AriChannel;
      cause: number;
      cause_txt: string;
      /** The technology's own code (for PJSIP the SIP response), when there was one. */
      tech_cause?: number;
    })
  | (Base & { type: 'ChannelHangupRequest'; channel: AriChannel; cause?: number; soft?: boolean })
  | (Base & {
      type: 'ChannelDtmfReceived';
      channel: AriChannel;
      digit: string;
      duration_ms: number;
    })
  | (Base & { type: 'ChannelEnteredBridge'; channel: AriChannel; bridge: AriBridge })
  | (Base & { type: 'ChannelLeftBridge'; channel: AriChannel; bridge: AriBridge })
  | (Base & { type: 'ChannelHold'; channel: AriChannel; musicclass?: string })
  | (Base & { type: 'ChannelUnhold'; channel: AriChannel })
  | (Base & { type: 'PlaybackStarted' | 'PlaybackFinished'; playback: AriPlayback })
  | (Base & { type: 'RecordingFinished' | 'RecordingFailed'; recording: AriLiveRecording })
  | (Base & { type: 'ContactStatusChange'; endpoint: AriEndpoint; contact_info: AriContactInfo })
  | (Base & {
      /**
       * A phone asked for a transfer (SIP REFER) on a channel whose endpoint hands REFERs to the
       * application (`PJSIP_TRANSFER_HANDLING()=ari-only`, Asterisk ≥ 22.3): Asterisk answered 202
       * and does nothing else. Raised again, with `state`, for each `transfer_progress` reported.
       */
      type: 'ChannelTransfer';
      state?: TransferProgressState;
      refer_to: {
        /** The Refer-To URI's user part (`202`); for an attended transfer also its Replaces. */
        requested_destination: { destination?: string; protocol_id?: string };
        /** Attended (Replaces): the channel to be replaced — the phone's other call. */
        destination_channel?: AriChannel;
        /** …and that channel's bridge peer and bridge. */
        connected_channel?: AriChannel;
        bridge?: AriBridge;
      };
      referred_by: {
        /** The channel the REFER came in on: where progress is reported. */
        source_channel: AriChannel;
        connected_channel?: AriChannel;
        bridge?: AriBridge;
      };
    })
  | (Base & {
      type: 'Dial';
      peer: AriChannel;
      caller?: AriChannel;
      forwarded?: AriChannel;
      dialstatus: string;
      dialstring?: string;
      forward?: string;
    });

export type AriEventType = AriEvent['type'];

/**
 * What `POST /channels/{id}/transfer_progress` tells the transferring phone, one state per
 * request (NOTIFY sipfrag): `SIP/2.0 100 Trying`, `200 OK`, `503 Service Unavailable`,
 * `603 Decline`. A final state (all but progress) ends the REFER's subscription.
 */
export type TransferProgressState =
  'channel_progress' | 'channel_answered' | 'channel_unavailable' | 'channel_declined';

/**
 * The event types the port hands on — and the only ones Asterisk is asked to send (the
 * application's event filter): what the code reacts to, nothing more. A call answered by one
 * phone costs about ten events this way instead of some thirty.
 */
export const ARI_EVENT_TYPES: ReadonlySet<string> = new Set<AriEventType>([
  'StasisStart',
  'StasisEnd',
  'ChannelDestroyed',
  'ChannelDtmfReceived',
  'ChannelHold',
  'ChannelUnhold',
  'PlaybackFinished',
  'RecordingFinished',
  'RecordingFailed',
  'ContactStatusChange',
  'ChannelTransfer',
]);
