/**
 * One audio file (§11-6): its name, length and uploaded format; playback in the page (the WAV
 * fetched with the session's token); its audio replaced by another upload (the settings stay);
 * 留守電 ON / OFF with 通知メール ON / OFF and the address; delete after a question, refused
 * while something plays the file (409 `audio_file_in_use`, the users listed).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useWords, type Translate } from '../../i18n';
import { useSession } from '../../session';
import { DeleteWithConfirm } from '../../ui/confirm-delete';
import { recordText } from '../../ui/record-kinds';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { conversionText, sendAudio, type AudioFile } from './audio-upload';

interface Settings {
  name: string;
  voicemail: boolean;
  notifyByEmail: boolean;
  notifyAddress: string;
}

const settingsOf = (f: AudioFile): Settings => ({
  name: f.name,
  voicemail: f.voicemail,
  notifyByEmail: f.notifyByEmail,
  notifyAddress: f.notifyAddress ?? '',
});

/** 「使用中: IVR 受付, 電話番号 0501110000」 from a 409's details; the server's words otherwise. */
function refusalText(t: Translate, err: unknown): string {
  if (!(err instanceof ApiError) || err.code !== 'audio_file_in_use' || !Array.isArray(err.details))
    return problemOf(err);
  const users = (err.details as { kind: string; name: string }[]).map((u) => recordText(t, u));
  return t('inUseBy', { users: users.join(', ') });
}

export function AudioFileScreen(props: { id: string }) {
  const id = Number(props.id);
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const loaded = useLoad(
    () => api.call('get', '/api/v1/audio-files/{id}', { path: { id } }),
    [api, id],
  );
  const [file, setFile] = useState<AudioFile | null>(null);
  const [values, setValues] = useState<Settings | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [report, setReport] = useState<string | null>(null);
  const [replacement, setReplacement] = useState<File | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (loaded.data === undefined) return;
    setFile(loaded.data);
    setValues(settingsOf(loaded.data));
  }, [loaded.data]);
  useEffect(() => () => url !== null && URL.revokeObjectURL(url), [url]);

  if (loaded.error !== undefined) return <p role="alert">{problemOf(loaded.error)}</p>;
  if (file === null || values === null) return <p>{t('loading')}</p>;
  const editable = can('audio_files.update');

  async function play() {
    try {
      setUrl(await api.objectUrl(`/api/v1/audio-files/${id}/audio`));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function save(event: Event) {
    event.preventDefault();
    if (values === null) return;
    setProblem(null);
    try {
      const saved = await api.call('patch', '/api/v1/audio-files/{id}', {
        path: { id },
        body: {
          name: values.name,
          voicemail: values.voicemail,
          notifyByEmail: values.notifyByEmail,
          notifyAddress: values.notifyAddress === '' ? null : values.notifyAddress,
        },
      });
      setFile(saved);
      setValues(settingsOf(saved));
      toast.done(t('saved'));
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  async function replace() {
    if (replacement === null) return;
    setProblem(null);
    setReport(null);
    try {
      const saved = await sendAudio(api, { method: 'put', id }, replacement);
      setFile(saved);
      setReport(conversionText(t, saved));
      if (url !== null) setUrl(null);
      toast.done(t('replaced'));
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  async function remove() {
    try {
      await api.call('delete', '/api/v1/audio-files/{id}', { path: { id } });
      toast.done(t('deletedCount', { count: 1 }));
      navigate('/admin/audio-files');
    } catch (err) {
      setProblem(refusalText(t, err));
    }
  }

  const set = (change: Partial<Settings>) => setValues({ ...values, ...change });
  return (
    <section class="screen audio-file" data-audio-file={id}>
      <h2>
        {t('audioFiles')}: {file.name}
      </h2>
      <p>
        <a href="#/admin/audio-files">{t('backToList')}</a>
      </p>
      <dl class="facts">
        <dt>{t('seconds')}</dt>
        <dd data-testid="audio-seconds">{file.seconds.toFixed(1)}</dd>
        <dt>{t('source')}</dt>
        <dd data-testid="audio-source">{file.source}</dd>
      </dl>
      <div class="toolbar">
        <button type="button" data-testid="play-audio" onClick={() => void play()}>
          {t('play')}
        </button>
        {url !== null && <audio controls autoplay src={url} data-testid="audio-player" />}
      </div>
      {problem !== null && (
        <p role="alert" class="problem" data-testid="audio-problem">
          {problem}
        </p>
      )}
      <form class="resource-form" onSubmit={(e) => void save(e)}>
        <label class="field">
          <span>{t('name')}</span>
          <input
            name="name"
            required
            maxLength={64}
            disabled={!editable}
            value={values.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>{t('voicemail')}</span>
          <input
            type="checkbox"
            name="voicemail"
            disabled={!editable}
            checked={values.voicemail}
            onChange={(e) => set({ voicemail: e.currentTarget.checked })}
          />
        </label>
        <label class="field">
          <span>{t('notifyByEmail')}</span>
          <input
            type="checkbox"
            name="notifyByEmail"
            disabled={!editable || !values.voicemail}
            checked={values.notifyByEmail}
            onChange={(e) => set({ notifyByEmail: e.currentTarget.checked })}
          />
        </label>
        <label class="field">
          <span>{t('notifyAddress')}</span>
          <input
            type="email"
            name="notifyAddress"
            disabled={!editable || !values.voicemail}
            value={values.notifyAddress}
            onInput={(e) => set({ notifyAddress: e.currentTarget.value })}
          />
        </label>
        {editable && (
          <div class="toolbar">
            <button type="submit" data-testid="save">
              {t('save')}
            </button>
          </div>
        )}
      </form>
      {editable && (
        <div class="toolbar card" data-testid="replace-audio">
          <strong>{t('replaceAudio')}</strong>{' '}
          <input
            type="file"
            name="replacement"
            accept="audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3"
            onChange={(e) => setReplacement(e.currentTarget.files?.[0] ?? null)}
          />
          <button
            type="button"
            data-testid="replace"
            disabled={replacement === null}
            onClick={() => void replace()}
          >
            {t('upload')}
          </button>
          {report !== null && (
            <p role="status" data-testid="replace-report">
              {report}
            </p>
          )}
        </div>
      )}
      {can('audio_files.delete') && (
        <DeleteWithConfirm label={t('deleteThis')} onDelete={() => void remove()} />
      )}
    </section>
  );
}
