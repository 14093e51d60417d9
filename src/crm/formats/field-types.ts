/**
 * The field types of business formats (業務フォーマット §11-8 属性) and custom fields
 * (カスタムフィールド §11-9 区分). Pure data.
 */

/** テキスト, 数値, 日付, 電話番号, メール, ロングテキスト, リスト選択, ラジオボタン, チェックボタン, 郵便番号. */
export const FORMAT_FIELD_TYPES = [
  'text',
  'number',
  'date',
  'phone',
  'email',
  'long_text',
  'list',
  'radio',
  'checkbox',
  'postal_code',
] as const;
export type FormatFieldType = (typeof FORMAT_FIELD_TYPES)[number];

/** テキスト, 数値, 日付, リスト選択. */
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'list'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Types whose values are chosen from the field's options (選択項目). */
export const CHOICE_TYPES: readonly FormatFieldType[] = ['list', 'radio', 'checkbox'];

/**
 * A stored field value: a string for every type but checkbox (チェックボタン: the ticked
 * options). Numbers are kept as their decimal text and dates as `YYYY-MM-DD`, so a value
 * reads back exactly as it was entered (leading zeros of codes included).
 */
export type FieldValue = string | string[];
