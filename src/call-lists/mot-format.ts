/**
 * The built-in business format `mot_call_list` (A.8.2, A.13): the fields a MOT call-list
 * customer has beyond the CRM's core ones. The core fields carry the rest: 名称 = 会社名,
 * 電話番号 = the phone list (one number, indexed for the uniqueness rule), メール, 備考 = 顧客備考.
 * FAX番号 is a text field on purpose: a phone-type field would join the phone index, and only
 * 電話番号 decides a duplicate (A.8.3).
 */
import type { FormatFieldInput, FormatView } from '../crm/formats/service.js';
import { JSIC_MAJOR_NAMES } from './jsic.js';

export const MOT_FORMAT_NAME = 'MOTコールリスト';

export const MOT_FIELDS = {
  registeredOn: { name: '登録日', type: 'date' },
  kind: { name: '区分', type: 'radio', options: ['法人', '個人'] },
  industry: { name: '業種', type: 'list', options: [...JSIC_MAJOR_NAMES] },
  companyKana: { name: '会社名フリガナ', type: 'text' },
  contactName: { name: '(顧客)担当者名', type: 'text' },
  postalCode: { name: '郵便番号', type: 'postal_code' },
  prefecture: { name: '都道府県', type: 'text' },
  address1: { name: '住所(市区町村・番地)', type: 'text' },
  address2: { name: '住所(建物名・部屋番号など)', type: 'text' },
  fax: { name: 'FAX番号', type: 'text' },
  url: { name: 'URL', type: 'text' },
  employees: { name: '従業員数', type: 'text' },
  annualSales: { name: '年商', type: 'text' },
  source: { name: '取得元', type: 'text' },
} satisfies Record<string, FormatFieldInput>;

export type MotField = keyof typeof MOT_FIELDS;
export const MOT_FIELD_KEYS = Object.keys(MOT_FIELDS) as MotField[];

export const MOT_FORMAT_FIELDS: FormatFieldInput[] = MOT_FIELD_KEYS.map((k) => MOT_FIELDS[k]);

/** The MOT format's id and the id of each of its fields. */
export interface MotFormat {
  formatId: number;
  fieldIds: Record<MotField, number>;
}

export function motFormatOf(format: FormatView): MotFormat {
  const byName = new Map(format.fields.map((f) => [f.name, f.id]));
  const fieldIds = Object.fromEntries(
    MOT_FIELD_KEYS.map((k) => {
      const id = byName.get(MOT_FIELDS[k].name);
      // ensureBuiltInFormat adds back any field that went missing, so each one is there.
      if (id === undefined) throw new Error(`the MOT format has no field ${MOT_FIELDS[k].name}`);
      return [k, id];
    }),
  ) as Record<MotField, number>;
  return { formatId: format.id, fieldIds };
}
