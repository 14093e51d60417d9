/**
 * Saves a report the server writes (its CSV) under a file name: fetched with the session's token
 * (a link cannot send it) and handed to the browser as a download.
 */
import type { ApiClient } from '../../api/client';

export async function downloadFile(
  api: ApiClient,
  path: string,
  query: Record<string, string | number | undefined>,
  fileName: string,
): Promise<void> {
  const url = await api.objectUrl(path, query);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
