/**
 * Screens by address: the part after `#` (`#/supervisor/realtime`), so every screen has a link
 * of its own and the server serves one page for all of them.
 */
import { useEffect, useState } from 'preact/hooks';

export const currentPath = (): string => location.hash.replace(/^#/, '') || '/';

export function navigate(path: string): void {
  location.hash = path;
}

/** The current path, re-rendering when it changes. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const changed = () => setPath(currentPath());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return path;
}

/** The `:name` parts of a pattern in a path, or null when the path is not the pattern's. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('?')[0]?.split('/') ?? [];
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = got[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}
