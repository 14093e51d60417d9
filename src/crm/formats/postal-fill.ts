/**
 * The postal-code auto-fill of a business format (§11-8 郵便番号 自動入力): which of the format's
 * fields an address from the postal-code registry fills. Pure: the registry is injected.
 */

/** One address of the registry (the shape of crm/postal/lookup.ts). */
export interface PostalAddress {
  postalCode: string;
  prefecture: string;
  city: string;
  street: string;
}

/** The postal-code registry: the addresses of a 7-digit code (several for some codes). */
export interface PostalLookup {
  find: (postalCode: string) => PostalAddress[];
}

/** 自動入力都道府県 / 市町村 / 番地等 / その他の住所欄 of a postal-code field. */
export interface PostalMapping {
  prefectureFieldId: number | null;
  cityFieldId: number | null;
  streetFieldId: number | null;
  otherFieldId: number | null;
}

/**
 * The values an address gives the mapped fields, keyed by field id. A part with no field of its
 * own goes to the other-address field (その他の住所欄), after the parts before it, so a format
 * with one 住所 field mapped as "other" gets the whole address; parts mapped to the same field
 * are joined in order. Fields not mapped are left alone.
 */
export function fillOf(mapping: PostalMapping, address: PostalAddress): Record<string, string> {
  const out: Record<string, string> = {};
  const parts: [number | null, string][] = [
    [mapping.prefectureFieldId, address.prefecture],
    [mapping.cityFieldId, address.city],
    [mapping.streetFieldId, address.street],
  ];
  for (const [own, text] of parts) {
    const target = own ?? mapping.otherFieldId;
    if (target === null || text === '') continue;
    out[String(target)] = (out[String(target)] ?? '') + text;
  }
  return out;
}

/** No registry: every code has no address (until the Japan Post data is installed). */
export const NO_POSTAL_LOOKUP: PostalLookup = { find: () => [] };
