/**
 * The reports' calendar: the server's time zone (TIMEZONE) and today in it, from
 * GET /stats/calendar, so that a search starts from the server's today and a day and hour mean
 * what the server's reports mean by them, wherever the browser is.
 */
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export interface ReportCalendar {
  timeZone: string;
  /** YYYY-MM-DD in the zone. */
  today: string;
  hour: number;
}

export function useReportCalendar(): ReportCalendar | undefined {
  const { api } = useSession();
  return useLoad(() => api.call('get', '/api/v1/stats/calendar'), [api]).data;
}

/** How far ahead of UTC a zone's clock is at an instant, in ms. */
function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a zone's clock shows `date` at `hour`:00, as ISO 8601 (UTC). An hour a DST spring
 * forward skips gives the instant after the gap.
 */
export function zonedInstant(date: string, hour: number, timeZone: string): string {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day, hour);
  let at = wall - offsetMs(wall, timeZone);
  at = wall - offsetMs(at, timeZone);
  return new Date(at).toISOString();
}
