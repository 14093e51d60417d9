/**
 * 通話履歴 (§9-1 for an agent: their own calls; §10 for a supervisor with call_history.view_all:
 * everyone's): search by number and period, a page of calls, and playback of a call's recording
 * (fetched with the session's token, played in the page).
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { Pager } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { clockText, useDateTime } from '../../ui/time';
import { ivrPathText } from './ivr-path';

const PAGE = 50;

export function CallHistoryScreen() {
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [party, setParty] = useState('');
  const [applied, setApplied] = useState('');
  const [offset, setOffset] = useState(0);
  const [playing, setPlaying] = useState<{
    id: number;
    url: string;
    what: 'recording' | 'voicemail';
  } | null>(null);
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/call-history', {
        query: {
          limit: String(PAGE),
          offset: String(offset),
          ...(applied !== '' && { party: applied }),
        },
      }),
    [api, applied, offset],
  );
  const when = useDateTime();

  /** A call's recording, or the voicemail message its caller left. */
  async function play(id: number, what: 'recording' | 'voicemail' = 'recording') {
    try {
      if (playing !== null) URL.revokeObjectURL(playing.url);
      const path =
        what === 'recording'
          ? `/api/v1/call-history/${id}/recording`
          : `/api/v1/voicemails/${id}/audio`;
      setPlaying({ id, url: await api.objectUrl(path), what });
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const rows = page.data?.items ?? [];
  const total = page.data?.total ?? 0;
  return (
    <section class="screen history">
      <h2>{t('tabHistory')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied(party);
        }}
      >
        <label>
          {t('number')}
          <input name="party" value={party} onInput={(e) => setParty(e.currentTarget.value)} />
        </label>
        <button type="submit">{t('search')}</button>
      </form>
      {playing !== null && (
        <audio
          controls
          autoplay
          src={playing.url}
          data-testid={playing.what === 'recording' ? 'recording-player' : 'voicemail-player'}
          data-call={playing.what === 'recording' ? playing.id : undefined}
          data-voicemail={playing.what === 'voicemail' ? playing.id : undefined}
        />
      )}
      <table class="grid" data-testid="call-history">
        <thead>
          <tr>
            <th>{t('startedAt')}</th>
            <th>{t('from')}</th>
            <th>{t('to')}</th>
            <th>{t('talkTime')}</th>
            <th>{t('endReason')}</th>
            <th>{t('ivrPathColumn')}</th>
            <th>{t('voicemailMark')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-call={r.callId}>
              <td>{when.format(new Date(r.startedAt))}</td>
              <td>
                {r.fromNumber} {r.fromName}
              </td>
              <td>{r.toNumber}</td>
              <td>{clockText(r.talkSeconds)}</td>
              <td>{r.endReason ?? ''}</td>
              <td class="ivr-path" data-testid="ivr-path">
                {ivrPathText(t, r.ivrPath)}
              </td>
              <td>
                {r.voicemailId !== null &&
                  (can('voicemails.view') ? (
                    <button
                      type="button"
                      class="voicemail-mark"
                      data-testid={`voicemail-${r.voicemailId}`}
                      onClick={() => void play(r.voicemailId ?? 0, 'voicemail')}
                    >
                      {t('voicemailMark')} {t('play')}
                    </button>
                  ) : (
                    <span class="voicemail-mark">{t('voicemailMark')}</span>
                  ))}
              </td>
              <td>
                {r.hasRecording && can('call_history.audio') && (
                  <button
                    type="button"
                    data-testid={`play-${r.id}`}
                    onClick={() => void play(r.id)}
                  >
                    {t('play')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager offset={offset} pageSize={PAGE} total={total} onOffset={setOffset} />
    </section>
  );
}
