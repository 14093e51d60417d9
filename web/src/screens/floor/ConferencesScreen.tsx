/**
 * SV › 会議室 (§5-1 for supervisors): the rooms in use and their participants, live from the
 * `conferences` topic, with what the API lets one do: mute or unmute and remove a participant
 * (calls.control for anyone's), and ring a number into a room.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import type { ConferenceRoom, Participant } from '../../feed/topics';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { clockText, secondsSince, useNow } from '../../ui/time';
import { useToast } from '../../ui/toast';
import { useAgents, type AgentRow } from '../supervisor/agent-names';
import { useFloorWords } from './words';
import './floor.css';

function Room(props: { room: ConferenceRoom; names: Map<number, AgentRow>; now: number }) {
  const w = useFloorWords();
  const { api, can, me } = useSession();
  const toast = useToast();
  const [number, setNumber] = useState('');
  const { room } = props;
  const path = (p: Participant) => ({ room: room.room, participantId: p.id });
  const mayChange = (p: Participant) => can('calls.control') || p.agentId === me.id;

  async function act(action: () => Promise<unknown>) {
    try {
      await action();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const setMuted = (p: Participant, muted: boolean) =>
    act(() =>
      api.call('patch', '/api/v1/conferences/{room}/participants/{participantId}', {
        path: path(p),
        body: { muted },
      }),
    );
  const kick = (p: Participant) =>
    act(() =>
      api.call('delete', '/api/v1/conferences/{room}/participants/{participantId}', {
        path: path(p),
      }),
    );
  const invite = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      await api.call('post', '/api/v1/conferences/{room}/participants', {
        path: { room: room.room },
        body: { to: number },
      });
      setNumber('');
    });
  };

  const participants = [...room.participants].sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  return (
    <section class="room card" data-room={room.room}>
      <h3>{w('room', { room: room.room })}</h3>
      <table class="grid">
        <thead>
          <tr>
            <th>{w('participant')}</th>
            <th>{w('agent')}</th>
            <th>{w('terminal')}</th>
            <th>{w('joined')}</th>
            <th />
            <th />
          </tr>
        </thead>
        <tbody>
          {participants.map((p) => (
            <tr key={p.id} data-participant={p.id} data-number={p.number}>
              <td>
                {p.number} {p.name}
              </td>
              <td>
                {p.agentId === null ? '' : (props.names.get(p.agentId)?.name ?? `#${p.agentId}`)}
              </td>
              <td>{p.terminal ?? ''}</td>
              <td class="duration" data-col="joined">
                {clockText(secondsSince(p.joinedAt, props.now))}
              </td>
              <td>
                <span class={p.muted ? 'mute-state muted' : 'mute-state'} data-testid="mute-state">
                  {p.muted ? w('muted') : w('speaking')}
                </span>
              </td>
              <td class="actions">
                {mayChange(p) && (
                  <>
                    <button
                      type="button"
                      data-testid="toggle-mute"
                      onClick={() => void setMuted(p, !p.muted)}
                    >
                      {p.muted ? w('unmute') : w('mute')}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      data-testid="kick"
                      onClick={() => void kick(p)}
                    >
                      {w('kick')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="toolbar" onSubmit={invite}>
        <label>
          {w('inviteNumber')}{' '}
          <input
            name="inviteNumber"
            value={number}
            inputMode="tel"
            pattern="[0-9*#+]{2,32}"
            required
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
        </label>
        <button type="submit">{w('invite')}</button>
      </form>
    </section>
  );
}

export function ConferencesScreen() {
  const { t } = useWords();
  const w = useFloorWords();
  const { state } = useTopic('conferences');
  const names = useAgents();
  const now = useNow();
  const rooms = [...state.rooms].sort((a, b) => a.room.localeCompare(b.room));
  return (
    <section class="screen floor-conferences" data-testid="conferences">
      <h2>{t('conferenceRooms')}</h2>
      {rooms.length === 0 && <p class="notice">{w('noRooms')}</p>}
      {rooms.map((room) => (
        <Room key={room.room} room={room} names={names} now={now} />
      ))}
    </section>
  );
}
