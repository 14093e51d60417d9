/**
 * Chat (チャット, §6-2): the latest messages the agent may read, live from the `chat` topic, and a
 * message to an agent, a group or everyone — bold, red, or an alert (sounded by the readers'
 * browsers) as the role allows.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type BodyOf, problemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';

type Recipient = BodyOf<'/api/v1/chat/messages', 'post'>['to'];

export function ChatPanel(props: { to: number | null }) {
  const { t } = useWords();
  const { api, me, can } = useSession();
  const toast = useToast();
  const { state } = useTopic('chat');
  const people = useLoad(
    () => api.call('get', '/api/v1/presence', { query: { limit: '500' } }),
    [api],
  );
  const groups = useLoad(() => api.call('get', '/api/v1/presence/groups'), [api]);
  const [to, setTo] = useState(props.to === null ? 'everyone' : `agent:${props.to}`);
  const [body, setBody] = useState('');
  const [red, setRed] = useState(false);
  const [alert, setAlert] = useState(false);
  const heard = useRef(state.messages.length);

  useEffect(() => {
    if (props.to !== null) setTo(`agent:${props.to}`);
  }, [props.to]);

  // An alert message from someone else sounds once, as it arrives.
  useEffect(() => {
    const fresh = state.messages.slice(heard.current);
    heard.current = state.messages.length;
    if (fresh.some((m) => m.alert && !(m.from.kind === 'agent' && m.from.id === me.id))) beep();
  }, [state.messages, me.id]);

  function recipient(): Recipient {
    const [kind, id] = to.split(':');
    if (kind === 'agent') return { type: 'agent', agentId: Number(id) };
    if (kind === 'group') return { type: 'group', groupId: Number(id) };
    return { type: 'everyone' };
  }

  async function send(event: Event) {
    event.preventDefault();
    try {
      await api.call('post', '/api/v1/chat/messages', {
        body: { to: recipient(), body, red, alert },
      });
      setBody('');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="chat" data-testid="chat">
      <h3>{t('chat')}</h3>
      <ol class="messages" data-testid="chat-messages">
        {state.messages.map((m) => (
          <li key={m.id} class={`${m.red ? 'red' : ''} ${m.bold ? 'bold' : ''}`}>
            <span class="from">{m.from.name}</span>
            <span class="to">→ {m.to.type === 'everyone' ? t('everyone') : m.to.name}</span>
            <span class="body">{m.body}</span>
          </li>
        ))}
      </ol>
      {can('chat.post') && (
        <form onSubmit={(e) => void send(e)}>
          <select name="chatTo" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="everyone">{t('everyone')}</option>
            {groups.data?.items.map((g) => (
              <option key={`g${g.id}`} value={`group:${g.id}`}>
                {g.name}
              </option>
            ))}
            {people.data?.items.map((a) => (
              <option key={`a${a.agentId}`} value={`agent:${a.agentId}`}>
                {a.name}
              </option>
            ))}
          </select>
          <textarea
            name="chatBody"
            placeholder={t('message')}
            value={body}
            onInput={(e) => setBody(e.currentTarget.value)}
          />
          <label>
            <input
              type="checkbox"
              checked={red}
              onChange={(e) => setRed(e.currentTarget.checked)}
            />
            {t('redText')}
          </label>
          {can('chat.alert') && (
            <label>
              <input
                type="checkbox"
                checked={alert}
                onChange={(e) => setAlert(e.currentTarget.checked)}
              />
              {t('alertMessage')}
            </label>
          )}
          <button type="submit" class="primary" disabled={body.trim() === ''}>
            {t('send')}
          </button>
        </form>
      )}
    </section>
  );
}

/** A short tone for an alert message (the browser's own audio; nothing to download). */
function beep(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.3);
  } catch {
    /* no audio output: the message still shows */
  }
}
