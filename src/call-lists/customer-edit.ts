/**
 * 顧客編集 (A.13): one call-list customer's values changed, read by the same rules as a CSV row
 * (A.8.2: 業種 a JSIC division, phone and FAX as digits), with the edit screen's own rule on top
 * — 会社名フリガナ is required when 区分 is 法人 — and MOT's phone uniqueness among live customers
 * whatever the CRM setting (A.8.3). Only an administrator changes the (自社)担当者; a general user
 * edits only the customers in their charge (A.18 顧客情報の編集), which the scope says.
 */
import { eq } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import type { CustomersService } from '../crm/customers/service.js';
import { ALL_FORMATS } from '../crm/customers/visibility.js';
import type { BusinessFormatsService } from '../crm/formats/service.js';
import { dateKeyOfDayNumber, dayNumber, wallClock } from '../platform/calendar.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { conflict, forbidden, notFound, unprocessable } from '../platform/http/errors.js';
import { searchCallListCustomers, type CallListCustomerView } from './customer-search.js';
import type { CallListScope } from './general-role.js';
import { MOT_FORMAT_FIELDS, MOT_FORMAT_NAME, motFormatOf, type MotField } from './mot-format.js';
import { readCallListRow } from './rows.js';
import { callListCustomers } from './schema.js';

export type CallListCustomerPatch = Partial<Record<MotField, string>> & {
  company?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  remarks?: string | undefined;
  /** (自社)担当者: an agent id, or null for none. */
  assigneeId?: number | null | undefined;
};

export interface CallListCustomerEditor {
  /** One customer of the call lists (deleted ones too), within the scope. */
  get: (id: number, scope: CallListScope) => CallListCustomerView;
  edit: (
    id: number,
    patch: CallListCustomerPatch,
    scope: CallListScope,
    actor: string,
  ) => CallListCustomerView;
}

const CORPORATION = '法人';

export function createCallListCustomerEditor(deps: {
  db: Db;
  clock: Clock;
  timeZone: string;
  formats: BusinessFormatsService;
  crm: CustomersService;
}): CallListCustomerEditor {
  const { db, clock, timeZone, formats, crm } = deps;
  const motFormat = () =>
    motFormatOf(formats.ensureBuiltInFormat('mot_call_list', MOT_FORMAT_NAME, MOT_FORMAT_FIELDS));
  const today = () => dateKeyOfDayNumber(dayNumber(wallClock(clock.now(), timeZone)));

  function get(id: number, scope: CallListScope): CallListCustomerView {
    const found = searchCallListCustomers(db, motFormat(), {
      ids: [id],
      includeDeleted: true,
      ...(!scope.all && { assigneeId: scope.agentId }),
      limit: 1,
      offset: 0,
    }).items[0];
    if (found === undefined) throw notFound('Call-list customer');
    return found;
  }

  return {
    get,
    edit: (id, patch, scope, actor) =>
      db.transaction(() => {
        const current = get(id, scope);
        if (current.deletedAt !== null)
          throw conflict('customer_deleted', 'A deleted customer is restored before it is edited');
        const { company, phone, email, remarks, assigneeId, ...fields } = patch;
        if (assigneeId !== undefined && !scope.all)
          throw forbidden('assignee_not_yours', 'Only an administrator changes the 担当者');
        const values = { ...current.values, ...fields };
        if (values.kind === CORPORATION && values.companyKana.trim() === '')
          throw unprocessable('kana_required', '(会社名フリガナ) 区分が法人の場合は必須です', {
            field: 'companyKana',
          });
        const format = motFormat();
        const read = readCallListRow(
          {
            ...values,
            company: company ?? current.company,
            phone: phone ?? current.phone,
            email: email ?? current.email,
            remarks: remarks ?? current.remarks,
          },
          format,
          today(),
        );
        if (!read.ok) {
          const { code, message, details } = read.problem;
          throw unprocessable(code, message, details);
        }
        if (crm.phoneHolders([read.phone], id).length > 0)
          throw conflict(
            'phone_taken',
            '(電話番号) 既に登録されている電話番号の為登録できません。',
            {
              phone: read.phone,
            },
          );
        crm.update(id, read.customer, ALL_FORMATS, actor);
        if (assigneeId !== undefined) {
          if (
            assigneeId !== null &&
            db.select({ id: agents.id }).from(agents).where(eq(agents.id, assigneeId)).get() ===
              undefined
          )
            throw unprocessable('unknown_agent', `No agent ${assigneeId}`, { assigneeId });
          db.update(callListCustomers)
            .set({ assigneeId })
            .where(eq(callListCustomers.customerId, id))
            .run();
        }
        return get(id, scope);
      }),
  };
}
