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
import { clockText } from '../../ui/time';

const PAGE = 50;

export function CallHistoryScreen() {
  const { t, language } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [party, setParty] = useState('');
  const [applied, setApplied] = useState('');
  const [offset, setOffset] = useState(0);
  const [playing, setPlaying] = useState<{ id: number; url: string } | null>(null);
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
  const when = new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'medium',
  });

  async function play(id: number) {
    try {
      if (playing !== null) URL.revokeObjectURL(playing.url);
      setPlaying({ id, url: await api.objectUrl(`/api/v1/call-history/${id}/recording`) });
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
          data-testid="recording-player"
          data-call={playing.id}
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
