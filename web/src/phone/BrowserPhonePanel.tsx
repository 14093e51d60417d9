/**
 * The browser phone panel (ブラウザフォン, §5-1): the ON/OFF switch, the registration state, a
 * number with call / answer / hang-up, the incoming call with the caller's number, a keypad
 * (digits into the number, or into the call as DTMF: feature codes such as #72 work) and a
 * level meter of what is received. ON asks the server for a fresh SIP password (memory only,
 * for this session) and registers; OFF unregisters and withdraws it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useWords } from '../i18n';
import { useSession } from '../session';
import { Keypad, type Key } from '../ui/Keypad';
import { BrowserPhone, type PhoneSnapshot } from './browser-phone';
import { phoneWords } from './words';
import './phone.css';

interface PhoneInfo {
  terminal: { id: number; sipUser: string; name: string } | null;
}

interface Credential {
  sipUri: string;
  password: string;
  websocketPath: string;
  iceServers: RTCIceServer[];
}

const OFF: PhoneSnapshot = { registration: 'off', call: 'idle', remote: null, cause: null };
const METER_MS = 500;

function websocketUrl(path: string, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${path}?token=${encodeURIComponent(token)}`;
}

export function BrowserPhonePanel() {
  const { api, token } = useSession();
  const t = phoneWords(useWords().language);
  const audio = useRef<HTMLAudioElement>(null);
  const phone = useRef<BrowserPhone | null>(null);
  const [info, setInfo] = useState<PhoneInfo | 'forbidden' | 'failed' | null>(null);
  const [state, setState] = useState<PhoneSnapshot>(OFF);
  const [busy, setBusy] = useState(false);
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [meter, setMeter] = useState({ energy: 0, level: 0, packets: 0 });

  useEffect(() => {
    let live = true;
    api
      .call('get', '/api/v1/me/browser-phone')
      .then((result) => live && setInfo(result))
      .catch(
        (err: unknown) =>
          live && setInfo(err instanceof ApiError && err.status === 403 ? 'forbidden' : 'failed'),
      );
    return () => {
      live = false;
      const current = phone.current;
      phone.current = null;
      if (current !== null) void current.stop();
    };
  }, [api]);

  // The received level while a call is up (getStats; nothing is asked of the server).
  useEffect(() => {
    setMeter({ energy: 0, level: 0, packets: 0 });
    if (state.call !== 'in_call') return;
    const timer = setInterval(() => {
      void phone.current?.stats().then((s) => {
        if (s !== undefined)
          setMeter({ energy: s.inboundEnergy, level: s.inboundLevel, packets: s.packetsReceived });
      });
    }, METER_MS);
    return () => clearInterval(timer);
  }, [state.call]);

  async function switchOn(): Promise<void> {
    if (audio.current === null) return;
    setBusy(true);
    setProblem(null);
    try {
      const credential: Credential = await api.call('post', '/api/v1/me/browser-phone/credential');
      const next = new BrowserPhone({
        websocketUrl: websocketUrl(credential.websocketPath, token),
        sipUri: credential.sipUri,
        password: credential.password,
        iceServers: credential.iceServers,
        audio: audio.current,
      });
      next.onChange(setState);
      phone.current = next;
      next.start();
    } catch {
      setProblem(t.failed);
    } finally {
      setBusy(false);
    }
  }

  async function switchOff(): Promise<void> {
    const current = phone.current;
    phone.current = null;
    setBusy(true);
    try {
      if (current !== null) await current.stop();
      await api.call('delete', '/api/v1/me/browser-phone/credential');
    } catch {
      setProblem(t.failed);
    } finally {
      setState(OFF);
      setBusy(false);
    }
  }

  function press(key: Key): void {
    if (state.call === 'in_call') phone.current?.sendDtmf(key);
    else setNumber((n) => n + key);
  }

  const on = state.registration !== 'off';
  const usable = info !== null && typeof info === 'object' && info.terminal !== null;
  const unavailable =
    info === 'forbidden'
      ? t.notPermitted
      : info === 'failed'
        ? t.failed
        : info !== null && info.terminal === null
          ? t.noTerminal
          : null;
  const ready = state.registration === 'registered';

  return (
    <section class="browser-phone" data-testid="browser-phone" aria-label={t.title}>
      <header>
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-label={t.switchLabel}
          class={on ? 'phone-switch on' : 'phone-switch'}
          data-testid="phone-switch"
          disabled={!usable || busy}
          onClick={() => void (on ? switchOff() : switchOn())}
        >
          {on ? t.on : t.off}
        </button>
        <h2>{t.title}</h2>
        <span
          class="phone-registration"
          data-testid="phone-registration"
          data-state={state.registration}
        >
          {t[`state_${state.registration}`]}
        </span>
      </header>
      {unavailable !== null && <p class="phone-unavailable">{unavailable}</p>}
      {problem !== null && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      {state.call === 'ringing' && (
        <p class="phone-incoming" data-testid="phone-incoming" role="status">
          {t.incoming}: <strong data-testid="phone-incoming-number">{state.remote}</strong>
        </p>
      )}
      <p class="phone-call-state" data-testid="phone-call-state" data-state={state.call}>
        {t[`call_${state.call}`]}
        {state.call !== 'idle' && state.call !== 'ringing' && state.remote !== null && (
          <> — {state.remote}</>
        )}
      </p>
      <label>
        {t.number}
        <input
          name="phone-number"
          data-testid="phone-number"
          inputMode="tel"
          value={number}
          onInput={(e) => setNumber(e.currentTarget.value)}
        />
      </label>
      <div class="phone-actions">
        <button
          type="button"
          data-testid="phone-call"
          disabled={!ready || state.call !== 'idle' || number.trim() === ''}
          onClick={() => phone.current?.call(number)}
        >
          {t.call}
        </button>
        <button
          type="button"
          data-testid="phone-answer"
          disabled={state.call !== 'ringing'}
          onClick={() => phone.current?.answer()}
        >
          {t.answer}
        </button>
        <button
          type="button"
          data-testid="phone-hangup"
          disabled={state.call === 'idle'}
          onClick={() => phone.current?.hangUp()}
        >
          {t.hangUp}
        </button>
      </div>
      <Keypad label={t.keypad} onKey={press} disabled={!ready} testId="phone-key" />
      <p
        class="phone-meter"
        data-testid="phone-meter"
        data-inbound-energy={meter.energy}
        data-inbound-level={meter.level}
        data-packets={meter.packets}
      >
        {t.receiving}
        <meter min={0} max={1} value={state.call === 'in_call' ? meter.level : 0} />
      </p>
      <audio ref={audio} data-testid="phone-remote-audio" autoplay />
    </section>
  );
}
