/** The page's clock for durations on screen (a status held for, a call waiting for). */
import { useEffect, useState } from 'preact/hooks';
import { useWords } from '../i18n';

/** Now, re-rendering every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** `MM:SS`, or `H:MM:SS` from an hour on, as the manual's screens show waits and durations. */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const rest = `${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return h > 0 ? `${h}:${rest}` : rest;
}

export const secondsSince = (iso: string, now: number) => (now - Date.parse(iso)) / 1000;

/** Dates and times as the interface's language writes them (短い日付 and the time). */
export function useDateTime(timeStyle: 'short' | 'medium' = 'medium'): Intl.DateTimeFormat {
  const { language } = useWords();
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'short',
    timeStyle,
  });
}
