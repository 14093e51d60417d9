/**
 * Where Asterisk fetches an audio file: an HTTP URL on this server that res_http_media_cache
 * downloads and caches (`sound:http://…`). Asterisk cannot log in, so the URL carries its own
 * proof — a tag signed with the server's secrets key — and names the file's version (the start
 * of its SHA-256): a new upload is a new URL, so Asterisk may cache a URL for as long as it likes
 * and never plays a stale file. The path must end in `.wav`: Asterisk takes the format from it.
 *
 *   {base}/api/v1/media/audio-files/{id}-{version}-{tag}.wav
 */
import type { SecretBox } from '../platform/secrets.js';

const PURPOSE = 'audio-file-media';
const VERSION_LENGTH = 16;
export const MEDIA_PATH = '/media/audio-files';
const NAME = /^([1-9][0-9]{0,14})-([0-9a-f]{16})-([A-Za-z0-9_-]{22})\.wav$/;

export interface MediaUrls {
  /** The media URI to play the file with this id and content hash. */
  uri(file: { id: number; sha256: string }): string;
  /** The file a media name (the URL's last segment) names, if its tag is ours. */
  parse(name: string): { id: number; version: string } | null;
  /** Whether a stored file's hash is the version a URL names. */
  isVersion(sha256: string, version: string): boolean;
}

export function createMediaUrls(options: {
  /** How Asterisk reaches this server's HTTP API, e.g. http://127.0.0.1:3000/api/v1. */
  apiBaseUrl: string;
  secrets: Pick<SecretBox, 'sign' | 'verify'>;
}): MediaUrls {
  const base = options.apiBaseUrl.replace(/\/+$/, '');
  const message = (id: number, version: string) => `${id}:${version}`;
  return {
    uri: (file) => {
      const version = file.sha256.slice(0, VERSION_LENGTH);
      const tag = options.secrets.sign(PURPOSE, message(file.id, version));
      return `sound:${base}${MEDIA_PATH}/${file.id}-${version}-${tag}.wav`;
    },
    parse: (name) => {
      const match = NAME.exec(name);
      if (match === null) return null;
      const [, idText = '', version = '', tag = ''] = match;
      const id = Number(idText);
      return options.secrets.verify(PURPOSE, message(id, version), tag) ? { id, version } : null;
    },
    isVersion: (sha256, version) => sha256.slice(0, VERSION_LENGTH) === version,
  };
}
