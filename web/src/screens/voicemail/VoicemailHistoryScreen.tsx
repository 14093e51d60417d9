/**
 * 留守電履歴 (§9-3): search by From / To date, caller and audio file; each message's date,
 * caller, seconds, playback in the page (the audio fetched with the session's token), audio file
 * and mail status; ticked rows deleted at once after a question (voicemails.bulk_delete). A
 * message left while the screen is open shows at once: the `voicemails` topic's every event
 * reloads the page shown.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useWords, type Words } from '../../i18n';
import { useSession } from '../../session';
import { ConfirmDelete } from '../../ui/confirm-delete';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useDateTime } from '../../ui/time';
import { useToast } from '../../ui/toast';

const PAGE = 50;

interface Search {
  from: string;
  to: string;
  caller: string;
  audioFileId: string;
}

const NO_SEARCH: Search = { from: '', to: '', caller: '', audioFileId: '' };

export function VoicemailHistoryScreen() {
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const live = useTopic('voicemails');
  const [form, setForm] = useState<Search>(NO_SEARCH);
  const [applied, setApplied] = useState<Search>(NO_SEARCH);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [playing, setPlaying] = useState<{ id: number; url: string } | null>(null);
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/voicemails', {
        query: {
          limit: String(PAGE),
          offset: String(offset),
          ...(applied.from !== '' && { from: applied.from }),
          ...(applied.to !== '' && { to: applied.to }),
          ...(applied.caller !== '' && { caller: applied.caller }),
          ...(applied.audioFileId !== '' && { audioFileId: applied.audioFileId }),
        },
      }),
    [api, applied, offset, live.state.changes],
  );
  const voicemailFiles = useLoad(
    () =>
      can('audio_files.view')
        ? api.call('get', '/api/v1/audio-files', { query: { voicemail: 'true', limit: '500' } })
        : Promise.resolve({ items: [], total: 0 }),
    [api],
  );
  const received = live.state.received;
  useEffect(() => {
    if (received !== null) toast.done(t('newVoicemail', { number: received.fromNumber }));
  }, [received?.id]);
  useEffect(() => () => playing !== null && URL.revokeObjectURL(playing.url), [playing]);
  const when = useDateTime();

  async function play(id: number) {
    try {
      setPlaying({ id, url: await api.objectUrl(`/api/v1/voicemails/${id}/audio`) });
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function deleteSelected() {
    setConfirming(false);
    try {
      const { deleted } = await api.call('post', '/api/v1/voicemails/bulk-delete', {
        body: { ids: [...selected] },
      });
      toast.done(t('deletedCount', { count: deleted.length }));
      setSelected(new Set());
      page.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const rows = page.data?.items ?? [];
  const total = page.data?.total ?? 0;
  const mayDelete = can('voicemails.bulk_delete');
  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const field = (name: keyof Search) => ({
    name,
    value: form[name],
    onInput: (e: { currentTarget: { value: string } }) =>
      setForm({ ...form, [name]: e.currentTarget.value }),
  });
  return (
    <section class="screen voicemails">
      <h2>{t('voicemailHistory')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setSelected(new Set());
          setApplied(form);
        }}
      >
        <label>
          {t('dateFrom')}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {t('dateTo')}
          <input type="date" {...field('to')} />
        </label>
        <label>
          {t('callerNumber')}
          <input inputMode="tel" {...field('caller')} />
        </label>
        {can('audio_files.view') && (
          <label>
            {t('audioFile')}
            <select
              name="audioFileId"
              value={form.audioFileId}
              onChange={(e) => setForm({ ...form, audioFileId: e.currentTarget.value })}
            >
              <option value="">{t('anyAudioFile')}</option>
              {(voicemailFiles.data?.items ?? []).map((f) => (
                <option key={f.id} value={String(f.id)}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit">{t('search')}</button>
      </form>
      {mayDelete && (
        <div class="toolbar">
          <button
            type="button"
            class="danger"
            data-testid="bulk-delete"
            disabled={selected.size === 0}
            onClick={() => setConfirming(true)}
          >
            {t('bulkDelete')}
          </button>
        </div>
      )}
      {confirming && (
        <ConfirmDelete
          count={selected.size}
          onDelete={() => void deleteSelected()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {playing !== null && (
        <audio
          controls
          autoplay
          src={playing.url}
          data-testid="voicemail-player"
          data-voicemail={playing.id}
        />
      )}
      <table class="grid" data-testid="voicemails">
        <thead>
          <tr>
            {mayDelete && (
              <th>
                <input
                  type="checkbox"
                  aria-label={t('selectAll')}
                  data-testid="select-all"
                  checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                  onChange={(e) =>
                    setSelected(new Set(e.currentTarget.checked ? rows.map((r) => r.id) : []))
                  }
                />
              </th>
            )}
            <th>{t('receivedAt')}</th>
            <th>{t('callerNumber')}</th>
            <th>{t('seconds')}</th>
            <th>{t('play')}</th>
            <th>{t('audioFile')}</th>
            <th>{t('mailStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-voicemail={r.id}>
              {mayDelete && (
                <td>
                  <input
                    type="checkbox"
                    checked={selected.has(r.id)}
                    onChange={(e) => toggle(r.id, e.currentTarget.checked)}
                  />
                </td>
              )}
              <td data-col="receivedAt">{when.format(new Date(r.receivedAt))}</td>
              <td data-col="from">
                {r.fromNumber} {r.fromName}
              </td>
              <td data-col="seconds">{Math.round(r.seconds)}</td>
              <td>
                <button type="button" data-testid={`play-${r.id}`} onClick={() => void play(r.id)}>
                  {t('play')}
                </button>
              </td>
              <td data-col="audioFile">{r.audioFileName}</td>
              <td data-col="mailStatus" title={r.mailTo ?? ''}>
                {t(`mailStatus_${r.mailStatus}` as keyof Words)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data !== undefined && rows.length === 0 && <p class="empty">{t('noVoicemails')}</p>}
      <Pager offset={offset} pageSize={PAGE} total={total} onOffset={setOffset} />
    </section>
  );
}
