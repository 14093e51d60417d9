/**
 * Reading one field value (a cell of a CSV upload, a value in a request body) as its field type
 * says (業務フォーマット 属性, カスタムフィールド 区分), with the manual's rule that a value that does
 * not fit the type is refused, naming why. Pure: no I/O.
 *
 * Values are kept as text, as entered: digits keep their leading zeros, a number its spelling
 * ("007" is a number field's "007", not 7), a date becomes `YYYY-MM-DD`.
 */
import { dateKeyOfDayNumber, dayNumberOfKey, pad } from '../../platform/calendar.js';
import type { FieldValue, FormatFieldType } from './field-types.js';

export interface FieldSpec {
  type: FormatFieldType;
  required: boolean;
  /** 選択項目 of list, radio and checkbox fields. */
  options: readonly string[];
}

export type FieldProblem =
  | 'required'
  | 'not_a_number'
  | 'not_a_date'
  | 'not_a_phone'
  | 'not_an_email'
  | 'not_a_postal_code'
  | 'not_an_option'
  | 'too_long';

export type FieldReading =
  { ok: true; value: FieldValue | null } | { ok: false; problem: FieldProblem };

/** Longest text of one field (ロングテキスト) and of the other text types. */
export const MAX_LONG_TEXT = 10_000;
export const MAX_TEXT = 1_000;

/** The separator of several ticked options of a checkbox field in one CSV cell. */
export const CHECKBOX_SEPARATOR = '|';

const PROBLEM_TEXT: Record<FieldProblem, { ja: string; en: string }> = {
  required: { ja: '必須項目です', en: 'is required' },
  not_a_number: { ja: '数値ではありません', en: 'is not a number' },
  not_a_date: { ja: '日付ではありません', en: 'is not a date (YYYY-MM-DD or YYYY/MM/DD)' },
  not_a_phone: { ja: '電話番号ではありません', en: 'is not a phone number' },
  not_an_email: { ja: 'メールアドレスではありません', en: 'is not an e-mail address' },
  not_a_postal_code: { ja: '郵便番号ではありません', en: 'is not a postal code (7 digits)' },
  not_an_option: { ja: '選択項目にない値です', en: 'is not one of the options' },
  too_long: { ja: '長すぎます', en: 'is too long' },
};

/** The reason, in the language of the screen (the CSV report uses ja, the API en). */
export const describeProblem = (problem: FieldProblem, language: 'ja' | 'en'): string =>
  PROBLEM_TEXT[problem][language];

/** Digits only: what a phone or postal code is stored as (hyphens, spaces, brackets dropped). */
export function digitsOf(text: string): string {
  return text.replace(/[\s\-‐−–ー()（）]/g, '');
}

/** Full-width digits and ASCII-like full-width signs as their half-width selves (Excel input). */
function halfWidth(text: string): string {
  return text.replace(/[０-９＋－．／＠]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Whether a date exists (2026-02-30 does not): it survives a round trip through its day number. */
function isRealDate(key: string): boolean {
  return dateKeyOfDayNumber(dayNumberOfKey(key)) === key;
}

/**
 * Reads a value for a field. `raw` is a CSV cell or a request value: text, or for checkbox
 * fields an array of options (a CSV cell holds them `|`-separated). Empty is "no value".
 */
export function readFieldValue(
  spec: FieldSpec,
  raw: string | readonly string[] | null | undefined,
): FieldReading {
  if (spec.type === 'checkbox') {
    const ticked = (
      typeof raw === 'string'
        ? raw.split(CHECKBOX_SEPARATOR)
        : raw === null || raw === undefined
          ? []
          : raw
    )
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (ticked.length === 0)
      return spec.required ? { ok: false, problem: 'required' } : { ok: true, value: null };
    if (ticked.some((v) => !spec.options.includes(v)))
      return { ok: false, problem: 'not_an_option' };
    // Stored in the order of the options, each once.
    return { ok: true, value: spec.options.filter((o) => ticked.includes(o)) };
  }
  if (Array.isArray(raw)) return { ok: false, problem: 'not_an_option' };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '')
    return spec.required ? { ok: false, problem: 'required' } : { ok: true, value: null };
  switch (spec.type) {
    case 'text':
    case 'long_text':
      return text.length > (spec.type === 'text' ? MAX_TEXT : MAX_LONG_TEXT)
        ? { ok: false, problem: 'too_long' }
        : { ok: true, value: spec.type === 'text' ? text : (raw as string) };
    case 'number': {
      const n = halfWidth(text).replace(/,/g, '');
      return /^-?\d+(\.\d+)?$/.test(n) && n.length <= 30
        ? { ok: true, value: n }
        : { ok: false, problem: 'not_a_number' };
    }
    case 'date': {
      const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(halfWidth(text));
      if (m === null) return { ok: false, problem: 'not_a_date' };
      const key = `${m[1]}-${pad(Number(m[2]), 2)}-${pad(Number(m[3]), 2)}`;
      return isRealDate(key) ? { ok: true, value: key } : { ok: false, problem: 'not_a_date' };
    }
    case 'phone': {
      const digits = digitsOf(halfWidth(text)).replace(/^'/, '');
      return /^\+?\d{2,20}$/.test(digits)
        ? { ok: true, value: digits }
        : { ok: false, problem: 'not_a_phone' };
    }
    case 'postal_code': {
      const digits = digitsOf(halfWidth(text)).replace(/^〒/, '');
      return /^\d{7}$/.test(digits)
        ? { ok: true, value: digits }
        : { ok: false, problem: 'not_a_postal_code' };
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) && text.length <= 254
        ? { ok: true, value: text }
        : { ok: false, problem: 'not_an_email' };
    case 'list':
    case 'radio':
      return spec.options.includes(text)
        ? { ok: true, value: text }
        : { ok: false, problem: 'not_an_option' };
  }
}
