/**
 * The phone panel (§5): a number, the caller ID to call with (only the numbers the agent may use,
 * or 外線発信禁止), the keypad, and what can be done to the current call — hang up, hold, park,
 * transfer (blind or attended, then complete or cancel), conference. Everything goes through the
 * REST API and acts on the agent's own phone (desk or browser); what happens shows from the feed.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { Keypad, type Key } from '../../ui/Keypad';
import { useToast } from '../../ui/toast';
import { clockText, secondsSince, useNow } from '../../ui/time';
import { otherParty, useMyCalls } from './my-calls';

export function PhonePanel() {
  const { t } = useWords();
  const { api, me, can } = useSession();
  const toast = useToast();
  const calls = useMyCalls();
  const transfers = useTopic('calls').state.transfers;
  const rooms = useLoad(() => api.call('get', '/api/v1/conferences'), [api]);
  const callerId = useLoad(() => api.call('get', '/api/v1/me/caller-id'), [api]);
  const [number, setNumber] = useState('');
  const now = useNow();
  const current = calls.at(-1);
  const transfer = [...transfers.values()].find((x) => x.callId === current?.id);

  async function act(what: () => Promise<unknown>) {
    try {
      await what();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const onCall = (action: (id: string) => Promise<unknown>) => () =>
    current !== undefined && void act(() => action(current.id));

  function key(digit: Key) {
    // During a connected call the keypad sends tones to the other party; otherwise it dials.
    if (current?.state === 'up')
      void act(() =>
        api.call('post', '/api/v1/calls/{id}/dtmf', {
          path: { id: current.id },
          body: { digits: digit },
        }),
      );
    else setNumber((n) => n + digit);
  }

  async function chooseCallerId(value: string) {
    const phoneNumberId = value === '' ? null : Number(value);
    await act(() => api.call('put', '/api/v1/me/caller-id', { body: { phoneNumberId } }));
    callerId.reload();
  }

  const held = current?.held === true;
  const up = current?.state === 'up';
  return (
    <section class="phone-panel" data-testid="phone-panel">
      <h3>{t('phone')}</h3>
      <label>
        {t('callerId')}
        <select
          name="callerId"
          disabled={!can('phone.change_caller_id')}
          value={callerId.data?.current?.id ?? ''}
          onChange={(e) => void chooseCallerId(e.currentTarget.value)}
        >
          <option value="">{t('outboundForbidden')}</option>
          {callerId.data?.options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.number} {o.name}
            </option>
          ))}
        </select>
      </label>
      <input
        name="number"
        inputMode="tel"
        placeholder={t('number')}
        value={number}
        onInput={(e) => setNumber(e.currentTarget.value.replace(/[^0-9*#+]/g, ''))}
      />
      <Keypad label={t('keypad')} onKey={key} />
      <div class="call-state" data-testid="current-call">
        {current === undefined ? (
          t('noCall')
        ) : (
          <>
            <strong>{otherParty(current, me.id)}</strong> {t(`callState_${current.state}`)}
            {held && ` (${t('hold')})`}{' '}
            {clockText(secondsSince(current.answeredAt ?? current.startedAt, now))}
          </>
        )}
      </div>
      <div class="actions">
        <button
          type="button"
          class="primary"
          data-testid="dial"
          disabled={number.length < 2 || current !== undefined}
          onClick={() =>
            void act(async () => {
              await api.call('post', '/api/v1/calls', { body: { to: number } });
              setNumber('');
            })
          }
        >
          {t('dial')}
        </button>
        <button
          type="button"
          class="danger"
          data-testid="hang-up"
          disabled={current === undefined}
          onClick={onCall((id) => api.call('post', '/api/v1/calls/{id}/hangup', { path: { id } }))}
        >
          {t('hangUp')}
        </button>
        <button
          type="button"
          data-testid="hold"
          disabled={!up}
          onClick={onCall((id) =>
            api.call('post', held ? '/api/v1/calls/{id}/unhold' : '/api/v1/calls/{id}/hold', {
              path: { id },
            }),
          )}
        >
          {held ? t('unhold') : t('hold')}
        </button>
        <button
          type="button"
          data-testid="park"
          disabled={!up}
          onClick={onCall((id) => api.call('post', '/api/v1/calls/{id}/park', { path: { id } }))}
        >
          {t('park')}
        </button>
      </div>
      <div class="actions">
        {transfer === undefined ? (
          (['blind', 'attended'] as const).map((mode) => (
            <button
              type="button"
              key={mode}
              data-testid={`transfer-${mode}`}
              disabled={!up || number.length < 2}
              onClick={onCall(async (id) => {
                await api.call('post', '/api/v1/calls/{id}/transfer', {
                  path: { id },
                  body: { to: number, mode },
                });
                setNumber('');
              })}
            >
              {mode === 'blind' ? t('blindTransfer') : t('attendedTransfer')}
            </button>
          ))
        ) : (
          <>
            <button
              type="button"
              data-testid="transfer-complete"
              onClick={() =>
                void act(() =>
                  api.call('post', '/api/v1/transfers/{id}/complete', {
                    path: { id: transfer.id },
                  }),
                )
              }
            >
              {t('completeTransfer')}
            </button>
            <button
              type="button"
              data-testid="transfer-cancel"
              onClick={() =>
                void act(() =>
                  api.call('post', '/api/v1/transfers/{id}/cancel', { path: { id: transfer.id } }),
                )
              }
            >
              {t('cancelTransfer')}
            </button>
          </>
        )}
      </div>
      <div class="actions">
        {rooms.data?.items.map((r, i) => (
          <button
            type="button"
            key={r.room}
            data-testid={`conference-${r.room}`}
            onClick={() =>
              void act(async () => {
                // With a call: the other party goes into the room first, then my phone rings in.
                if (current !== undefined && up)
                  await api.call('post', '/api/v1/calls/{id}/transfer', {
                    path: { id: current.id },
                    body: { to: r.room, mode: 'blind' },
                  });
                await api.call('post', '/api/v1/conferences/{room}/participants', {
                  path: { room: r.room },
                  body: { agentId: me.id },
                });
              })
            }
          >
            {t('conference', { room: i + 1 })}
          </button>
        ))}
      </div>
    </section>
  );
}
