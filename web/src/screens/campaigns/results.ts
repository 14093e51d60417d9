/**
 * The results and status icons the autodial screens filter and set (§10-9, §9-2): the nine
 * system results of the engine (as src/campaigns/results.ts keys them) and a campaign's own
 * numbered results, and the five entry status icons. The times of the list, `MM-DD HH:MM`.
 */
import type { Answer, ApiClient } from '../../api/client';
import type { CampaignWords } from './words';

export const SYSTEM_RESULTS = [
  'waiting',
  'busy',
  'channel_limit',
  'cancelled',
  'no_entry',
  'timeout',
  'error',
  'restricted',
  'stopped',
] as const;
export type SystemResult = (typeof SYSTEM_RESULTS)[number];

export const ENTRY_STATUSES = ['waiting', 'dialled', 'dialing', 'in_call', 'stopped'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export type Campaign = Answer<'/api/v1/campaigns/{id}', 'get'>;
export type Entry = Answer<'/api/v1/campaigns/entries', 'get'>['items'][number];

/** A choice of 結果: its stored key and what it says. */
export interface ResultChoice {
  key: string;
  label: string;
}

/** The system results, then the campaign's own (when one is chosen): the 結果 checkboxes. */
export function resultChoices(
  w: (key: keyof CampaignWords) => string,
  campaign: Campaign | undefined,
): ResultChoice[] {
  return [
    ...SYSTEM_RESULTS.map((key) => ({ key, label: w(`result_${key}`) })),
    ...(campaign?.results ?? []).map((r) => ({ key: String(r.number), label: r.text })),
  ];
}

/** All campaigns for a dropdown (a supervisor without campaigns.view gets none). */
export async function campaignOptions(
  api: ApiClient,
  can: (permission: string) => boolean,
): Promise<{ id: number; name: string }[]> {
  if (!can('campaigns.view')) return [];
  const page = await api.call('get', '/api/v1/campaigns', { query: { limit: '500' } });
  return page.items.map((c) => ({ id: c.id, name: c.name }));
}

export async function agentOptions(
  api: ApiClient,
  can: (permission: string) => boolean,
): Promise<{ id: number; name: string; extension: string | null }[]> {
  if (!can('agents.view')) return [];
  const page = await api.call('get', '/api/v1/agents', { query: { limit: '500' } });
  return page.items.map((a) => ({ id: a.id, name: a.name, extension: a.extension }));
}

const two = (n: number) => String(n).padStart(2, '0');

/** `MM-DD HH:MM` in the browser's clock, as the autodial list shows 発信日時 and 予約. */
export function shortDateTime(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The value of an `<input type=datetime-local>` for an instant, in the browser's clock. */
export function localInputOf(iso: string | null): { date: string; time: string } {
  if (iso === null) return { date: '', time: '' };
  const d = new Date(iso);
  return {
    date: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`,
    time: `${two(d.getHours())}:${two(d.getMinutes())}`,
  };
}

/** The instant of a date and a time typed in the browser's clock (null when either is empty). */
export function instantOf(date: string, time: string): string | null {
  if (date === '' || time === '') return null;
  const at = new Date(`${date}T${time}`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** `YYYY-MM-DD HH:MM` in the browser's clock (a reservation can be next year). */
export function minuteDateTime(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${shortDateTime(iso)}`;
}
