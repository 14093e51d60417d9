/**
 * システム音声: what the center itself says (voicemail instructions, IVR invalid / no input, PIN
 * prompts, refusals) — each prompt's name, purpose, Japanese and English text and its default
 * sounds; per language, the audio file that replaces it (audio_files.update) or 既定に戻す.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type ItemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';

type Prompt = ItemOf<'/api/v1/system-prompts'>;
type PromptLanguage = keyof Prompt['replacements'];

const LANGUAGES: readonly PromptLanguage[] = ['ja', 'en'];

export function SystemPromptsScreen() {
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const loaded = useLoad(() => api.call('get', '/api/v1/system-prompts'), [api]);
  const files = useLoad(
    () => api.call('get', '/api/v1/audio-files', { query: { limit: '500' } }),
    [api],
  );
  const [prompts, setPrompts] = useState<Prompt[]>([]);
  useEffect(() => setPrompts(loaded.data?.items ?? []), [loaded.data]);
  const editable = can('audio_files.update');

  async function choose(prompt: Prompt, language: PromptLanguage, audioFileId: string) {
    const path = { name: prompt.name, language };
    try {
      const saved =
        audioFileId === ''
          ? await api.call('delete', '/api/v1/system-prompts/{name}/{language}', { path })
          : await api.call('put', '/api/v1/system-prompts/{name}/{language}', {
              path,
              body: { audioFileId: Number(audioFileId) },
            });
      setPrompts(prompts.map((p) => (p.name === saved.name ? saved : p)));
      toast.done(t('saved'));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen system-prompts">
      <h2>{t('systemPrompts')}</h2>
      {loaded.error !== undefined && <p role="alert">{problemOf(loaded.error)}</p>}
      <table class="grid" data-testid="system-prompts">
        <thead>
          <tr>
            <th>{t('promptName')}</th>
            <th>{t('purpose')}</th>
            <th>{t('promptText')}</th>
            <th>{t('defaultSounds')}</th>
            {LANGUAGES.map((l) => (
              <th key={l}>
                {t('replacement')} ({t(l === 'ja' ? 'language_ja' : 'language_en')})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {prompts.map((p) => (
            <tr key={p.name} data-prompt={p.name}>
              <td data-col="name">
                <code>{p.name}</code>
              </td>
              <td data-col="purpose">{p.purpose}</td>
              <td data-col="text">
                <div lang="ja">{p.text.ja}</div>
                <div lang="en">{p.text.en}</div>
              </td>
              <td data-col="defaultSounds">{p.defaultSounds.join(', ')}</td>
              {LANGUAGES.map((l) => {
                const current = p.replacements[l];
                return (
                  <td key={l} data-col={`replacement-${l}`}>
                    <select
                      name={`${p.name}.${l}`}
                      disabled={!editable}
                      value={current === null ? '' : String(current.audioFileId)}
                      onChange={(e) => void choose(p, l, e.currentTarget.value)}
                    >
                      <option value="">{t('defaultSound')}</option>
                      {(files.data?.items ?? []).map((f) => (
                        <option key={f.id} value={String(f.id)}>
                          {f.name}
                        </option>
                      ))}
                    </select>
                    {editable && current !== null && (
                      <button
                        type="button"
                        data-testid={`restore-${p.name}-${l}`}
                        onClick={() => void choose(p, l, '')}
                      >
                        {t('restoreDefault')}
                      </button>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
