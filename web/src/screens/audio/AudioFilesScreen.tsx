/**
 * 音声ファイル (§11-6): the list (名称, 秒数, 留守電, 更新) and the upload form (a name and a
 * file, audio_files.update). The server converts what is not WAV 8000 Hz mono 16-bit and says
 * how; a refusal (not audio, too large, too long, a taken name) is shown in its own words.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useDateTime } from '../../ui/time';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { conversionText, sendAudio, type AudioFile } from './audio-upload';

const PAGE = 50;

export function AudioFilesScreen() {
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [offset, setOffset] = useState(0);
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<AudioFile | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/audio-files', {
        query: { limit: String(PAGE), offset: String(offset) },
      }),
    [api, offset],
  );
  const when = useDateTime('short');

  async function upload(event: Event) {
    event.preventDefault();
    if (file === null) return;
    setProblem(null);
    setUploaded(null);
    setBusy(true);
    try {
      const stored = await sendAudio(api, { method: 'post', path: '/api/v1/audio-files' }, file, {
        name,
      });
      setUploaded(stored);
      setName('');
      toast.done(t('uploaded'));
      page.reload();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  const rows = page.data?.items ?? [];
  return (
    <section class="screen audio-files">
      <h2>{t('audioFiles')}</h2>
      {can('audio_files.update') && (
        <form class="search card" data-testid="audio-upload" onSubmit={(e) => void upload(e)}>
          <label>
            {t('name')}
            <input
              name="name"
              required
              maxLength={64}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
          <label>
            {t('file')}
            <input
              type="file"
              name="file"
              accept="audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          </label>
          <button type="submit" data-testid="upload" disabled={file === null || busy}>
            {t('upload')}
          </button>
          {problem !== null && (
            <p role="alert" class="problem" data-testid="upload-problem">
              {problem}
            </p>
          )}
          {uploaded !== null && (
            <p role="status" data-testid="upload-report">
              {uploaded.name}: {conversionText(t, uploaded)} ({uploaded.source})
            </p>
          )}
        </form>
      )}
      <table class="grid" data-testid="audio-files">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th>{t('seconds')}</th>
            <th>{t('voicemail')}</th>
            <th>{t('updatedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.id} data-audio-file={f.id}>
              <td data-col="name">
                <a href={`#/admin/audio-files/${f.id}`}>{f.name}</a>
              </td>
              <td data-col="seconds">{f.seconds.toFixed(1)}</td>
              <td data-col="voicemail">{f.voicemail ? t('on') : t('off')}</td>
              <td data-col="updatedAt">{when.format(new Date(f.updatedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data !== undefined && rows.length === 0 && <p class="empty">{t('noAudioFiles')}</p>}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
