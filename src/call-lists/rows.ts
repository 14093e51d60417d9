/**
 * A call-list customer as the CSV of A.8.2 carries it (already parsed, columns already checked),
 * read into a CRM customer of the MOT format: 業種 against the JSIC major divisions (a middle
 * division becomes its major one), the phone as digits, 登録日 defaulting to today. Problems come
 * back per row, in the manual's wording, for the import report. Pure.
 */
import type { CustomerInput } from '../crm/customers/service.js';
import type { RawValue } from '../crm/customers/values.js';
import { readFieldValue } from '../crm/formats/field-values.js';
import { readIndustry } from './jsic.js';
import type { MotField, MotFormat } from './mot-format.js';

/** One customer row of a call list (A.8.2); the engine's importer maps its columns to these. */
export interface CallListCustomerInput {
  /** The row's line in the file, for the report (default: its place in the batch, from 1). */
  row?: number | undefined;
  /** 顧客ID: empty for a new customer; an existing one's ID (its 会社名 must match) to update. */
  customerId?: number | null | undefined;
  /** 登録日 YYYY/MM/DD (or YYYY-MM-DD); empty: today. */
  registeredOn?: string | null | undefined;
  /** 区分: 法人 or 個人. */
  kind?: string | undefined;
  /** 業種: a JSIC major or middle division name. */
  industry?: string | undefined;
  /** 会社名 (required). */
  company: string;
  companyKana?: string | undefined;
  contactName?: string | undefined;
  postalCode?: string | undefined;
  prefecture?: string | undefined;
  /** 住所(市区町村・番地) (required). */
  address1: string;
  address2?: string | undefined;
  /** 電話番号 (required). */
  phone: string;
  fax?: string | undefined;
  email?: string | undefined;
  url?: string | undefined;
  employees?: string | undefined;
  annualSales?: string | undefined;
  /** 顧客備考. */
  remarks?: string | undefined;
  /** 取得元. */
  source?: string | undefined;
  /** ユーザID (通常利用しません): the user in charge of the customer (自社担当者). */
  assigneeId?: number | undefined;
  /** リストID (通常利用しません): lists already registered that the customer joins as well. */
  listIds?: readonly number[] | undefined;
}

export interface RowProblem {
  row: number;
  code: string;
  /** `(電話番号) 既に登録されている電話番号の為登録できません。` and the like. */
  message: string;
  details?: unknown;
}

export type ReadRow =
  | { ok: true; phone: string; customer: CustomerInput & { fields: Record<string, RawValue> } }
  | { ok: false; problem: Omit<RowProblem, 'row'> };

const text = (v: string | undefined) =>
  v === undefined ? null : v.trim() === '' ? null : v.trim();

export function readCallListRow(
  input: CallListCustomerInput,
  format: MotFormat,
  today: string,
): ReadRow {
  if (input.company.trim() === '')
    return { ok: false, problem: { code: 'required', message: '(会社名) 必須項目です' } };
  if (input.address1.trim() === '')
    return {
      ok: false,
      problem: { code: 'required', message: '(住所(市区町村・番地)) 必須項目です' },
    };
  const phone = readFieldValue({ type: 'phone', required: true, options: [] }, input.phone);
  if (!phone.ok || typeof phone.value !== 'string' || !/^\d+$/.test(phone.value))
    return {
      ok: false,
      problem: { code: 'invalid_phone', message: '(電話番号) 電話番号ではありません' },
    };
  const fax = text(input.fax);
  const faxDigits = fax === null ? null : fax.replace(/[\s\-‐−–ー()（）]/g, '');
  if (faxDigits !== null && !/^\d{2,20}$/.test(faxDigits))
    return {
      ok: false,
      problem: { code: 'invalid_fax', message: '(FAX番号) 電話番号ではありません' },
    };
  let industry: string | null = null;
  const industryText = text(input.industry);
  if (industryText !== null) {
    const match = readIndustry(industryText);
    if (match === null)
      return {
        ok: false,
        problem: {
          code: 'unknown_industry',
          message: '(業種) 未登録の業種です',
          details: { industry: industryText },
        },
      };
    industry = match.name;
  }
  const values: Record<MotField, string | null> = {
    registeredOn: text(input.registeredOn ?? undefined) ?? today,
    kind: text(input.kind),
    industry,
    companyKana: text(input.companyKana),
    contactName: text(input.contactName),
    postalCode: text(input.postalCode),
    prefecture: text(input.prefecture),
    address1: input.address1.trim(),
    address2: text(input.address2),
    fax: faxDigits,
    url: text(input.url),
    employees: text(input.employees),
    annualSales: text(input.annualSales),
    source: text(input.source),
  };
  const fields: Record<string, RawValue> = {};
  for (const [key, value] of Object.entries(values) as [MotField, string | null][])
    fields[String(format.fieldIds[key])] = value;
  return {
    ok: true,
    phone: phone.value,
    customer: {
      formatId: format.formatId,
      name: input.company.trim(),
      phones: [phone.value],
      email: input.email?.trim() ?? '',
      remarks: input.remarks ?? '',
      fields,
    },
  };
}
