/**
 * Audio sent to the server as the browser's multipart form (`file` and text fields), and what
 * the server says it did with it: stored as it is, or converted and how.
 */
import type { ApiClient, ItemOf } from '../../api/client';
import type { Translate } from '../../i18n';

export type AudioFile = ItemOf<'/api/v1/audio-files'>;

export async function sendAudio(
  api: ApiClient,
  target: { method: 'post'; path: '/api/v1/audio-files' } | { method: 'put'; id: number },
  file: File,
  fields: Record<string, string> = {},
): Promise<AudioFile> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file, file.name);
  return (
    target.method === 'post'
      ? api.raw('post', target.path, { form })
      : api.raw('put', '/api/v1/audio-files/{id}/audio', { path: { id: target.id }, form })
  ) as Promise<AudioFile>;
}

/** 「変換しました: 44100 Hz → 8000 Hz, stereo → mono」, or that it was kept as it came. */
export const conversionText = (t: Translate, file: AudioFile) =>
  file.converted ? t('convertedTo', { changes: file.changes.join(', ') }) : t('storedAsIs');
