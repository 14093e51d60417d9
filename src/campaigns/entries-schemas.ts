/**
 * The wire shapes of the autodial list (§10-9), shared by its routes, the reservations (§9-2)
 * and the recall list (§7): an entry as the screens show it, the search criteria of the query
 * string, and the bodies that change entries.
 */
import { z } from 'zod';
import { digitsOf } from '../crm/formats/field-values.js';
import type { Principal } from '../platform/http/auth.js';
import { unprocessable } from '../platform/http/errors.js';
import {
  auditOf,
  auditFields,
  decimalInteger,
  id,
  instant,
  isoOrNull,
  multiLine,
} from '../platform/http/schemas.js';
import type { EntryPatch } from './entries-service.js';
import type { EntryView } from './entries-search.js';
import { ENTRY_PHASES, ENTRY_STATUSES, SYSTEM_RESULTS, type EntryStatus } from './results.js';

const person = z.object({ id: z.number().int(), name: z.string() });

export const resultSchema = z
  .object({
    key: z
      .string()
      .describe('As stored: a system result (waiting, busy …) or a campaign result number'),
    label: z.string().describe('発信待機中, ビジー … or the campaign’s text'),
    kind: z.enum(['system', 'campaign']),
  })
  .describe('AutodialResult');

export const entrySchema = z
  .object({
    id: z.number().int(),
    campaign: z.object({ id: z.number().int(), name: z.string() }).describe('キャンペーン'),
    customer: z
      .object({
        id: z.number().int(),
        displayId: z.string().describe('#C<id>'),
        name: z.string().describe('名称'),
        formatId: z.number().int().describe('業務'),
      })
      .nullable()
      .describe('顧客; null for a bare number (or a customer of a format the caller may not see)'),
    phone: z.string().describe('電話番号, digits'),
    result: resultSchema.describe('結果'),
    callCount: z.number().int().describe('コール数'),
    lastDialedAt: instant.nullable().describe('発信日時'),
    lastAgent: person.nullable().describe('エージェント: who talked to the customer last'),
    reservedAt: instant.nullable().describe('予約: not dialled before'),
    assignee: person.nullable().describe('担当: whose recall list holds it'),
    remarks: z.string().describe('備考'),
    status: z
      .enum(ENTRY_STATUSES)
      .describe('ステータス icon: 発信待機中 / 発信済み / 発信処理中 / 通話中 / 発信停止'),
    phase: z.enum(ENTRY_PHASES).describe('Whether a call for it is live'),
    ...auditFields,
  })
  .describe('AutodialEntry');

export const entryDetailSchema = entrySchema
  .extend({
    choices: z
      .array(resultSchema)
      .describe('The result buttons: the campaign’s own results, then the system results'),
  })
  .describe('AutodialEntryDetail');

export const toEntry = <T extends EntryView>(v: T) => ({
  ...v,
  lastDialedAt: isoOrNull(v.lastDialedAt),
  reservedAt: isoOrNull(v.reservedAt),
  ...auditOf(v),
});

const STORED_RESULT = /^([a-z_]{1,20}|[1-9][0-9]{0,9})$/;

/** A comma-separated list of these alternatives (a regex source each), read as a list. */
function commaList<T extends string>(item: string, max: number, error: string) {
  return z
    .string()
    .regex(new RegExp(`^(${item})(,(${item})){0,${max - 1}}$`), { error })
    .transform((v) => v.split(',') as T[]);
}

const RESULT_ITEM = `${SYSTEM_RESULTS.join('|')}|[1-9][0-9]{0,9}`;

/** The criteria of the autodial list (and, a part of them, of the reservations). */
export const entryFilterFields = {
  campaignId: id().optional().describe('キャンペーン'),
  formatId: id()
    .optional()
    .describe('業務: entries of its customers (and their fields in the CSV)'),
  results: commaList<string>(
    RESULT_ITEM,
    100,
    'system results (waiting, busy …) or campaign result numbers, comma-separated',
  )
    .optional()
    .describe('結果: any of these, comma-separated (waiting,busy,3)'),
  callCount: decimalInteger().optional().describe('コール数, exactly'),
  callCountMin: decimalInteger().optional().describe('コール数 at least'),
  callCountMax: decimalInteger().optional().describe('コール数 at most'),
  statuses: commaList<EntryStatus>(
    ENTRY_STATUSES.join('|'),
    ENTRY_STATUSES.length,
    'waiting, dialled, dialing, in_call or stopped, comma-separated',
  )
    .optional()
    .describe('ステータス icons: any of waiting, dialled, dialing, in_call, stopped'),
  assigneeId: id().optional().describe('担当'),
  reserved: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('予約: with one (true) or without (false)'),
  ids: z
    .string()
    .regex(/^[1-9][0-9]{0,14}(,[1-9][0-9]{0,14}){0,499}$/, {
      error: 'comma-separated ids, at most 500',
    })
    .transform((v) => v.split(',').map(Number))
    .optional()
    .describe('These entries only (checked rows), comma-separated'),
};

export const resultBody = z
  .string()
  .regex(STORED_RESULT, { error: 'a system result key or a campaign result number' })
  .describe('結果: a system result (waiting, stopped …) or one of the campaign’s result numbers');

const assigneeBody = z
  .union([z.number().int().positive(), z.literal('me'), z.null()])
  .describe('担当: an agent id, "me" (自分を設定), or null to clear');

export const entryChange = {
  result: resultBody.optional(),
  reservedAt: instant.nullable().optional().describe('予約; null clears it'),
  assigneeId: assigneeBody.optional(),
  remarks: multiLine(1000).optional().describe('備考'),
};

export const patchBody = z
  .object(entryChange)
  .strict()
  .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' });

export const bulkBody = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(500).describe('The ticked entries'),
  set: patchBody,
});

export const phoneBody = z
  .string()
  .max(40)
  .transform((v) => digitsOf(v))
  .pipe(z.string().regex(/^[0-9]{1,20}$/, { error: 'must be digits (hyphens allowed)' }))
  .describe('電話番号: digits (hyphens allowed, dropped)');

export const reserveBody = z
  .union([
    z.object({ in: z.enum(['10m', '1h', '1d']).describe('10分後 / 1時間後 / 1日後') }).strict(),
    z.object({ at: instant.describe('An explicit time, in the future') }).strict(),
  ])
  .describe('When to dial the entry again (its result goes back to 発信待機中)');

/** The wire change as the service takes it: instants as dates, "me" as the caller. */
export function patchOf(
  body: {
    result?: string | undefined;
    reservedAt?: string | null | undefined;
    assigneeId?: number | 'me' | null | undefined;
    remarks?: string | undefined;
  },
  principal: Principal,
): EntryPatch {
  let assigneeId: number | null | undefined;
  if (body.assigneeId === 'me') {
    if (principal.kind !== 'agent')
      throw unprocessable('not_an_agent', 'Only an agent can be set as the assignee ("me")');
    assigneeId = principal.id;
  } else assigneeId = body.assigneeId;
  return {
    result: body.result,
    reservedAt:
      body.reservedAt === undefined
        ? undefined
        : body.reservedAt === null
          ? null
          : new Date(body.reservedAt),
    assigneeId,
    remarks: body.remarks,
  };
}

export const addReportSchema = z
  .object({
    added: z.number().int(),
    skipped: z.number().int().describe('noPhone + alreadyWaiting'),
    noPhone: z.number().int().describe('Customers with no phone number'),
    alreadyWaiting: z
      .number()
      .int()
      .describe('Customers already waiting (発信待機中) in the campaign'),
  })
  .describe('AutodialAddReport');

/** An entry as the customer detail's 自動発信 tab lists it (dial-lists-routes.ts). */
export const toCustomerCampaignEntry = (v: EntryView) => ({
  entryId: v.id,
  campaignId: v.campaign.id,
  campaignName: v.campaign.name,
  phone: v.phone,
  lastDialedAt: isoOrNull(v.lastDialedAt),
  reservedAt: isoOrNull(v.reservedAt),
  result: { key: v.result.key, label: v.result.label },
  agent: v.lastAgent,
});
