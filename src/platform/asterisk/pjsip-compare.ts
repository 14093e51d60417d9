/**
 * Whether a PJSIP object Asterisk holds is the one we want (pure).
 *
 * ARI's dynamic configuration answers GET with each field as Asterisk prints it, which is not
 * always how it was PUT (Asterisk 22): booleans come back `true`/`false`, `allow=ulaw,alaw` as
 * `(ulaw|alaw)`, an identify `match=127.0.0.2` as `127.0.0.2/255.255.255.255` (one attribute per
 * entry), an empty `callerid` as `<unknown>`, numbers as `2.000000`; `disallow` not at all.
 * Comparing the printed forms of the fields we set tells an object we can leave alone from one to
 * replace — which matters, because replacing is a DELETE and a PUT: a PUT over an existing object
 * re-parses its printed form and corrupts it (a trunk's caller ID becomes `unknown`, its match
 * addresses double).
 */
import { isIP } from 'node:net';

/** Fields GET never returns: they cannot be compared, and say nothing on their own. */
const WRITE_ONLY = new Set(['disallow']);

const TRUE = new Set(['yes', 'true', 'on', '1']);
const FALSE = new Set(['no', 'false', 'off', '0']);

/** A match entry as (address, prefix length); a host name stays as it is. */
function matchEntry(entry: string): string {
  const [address = '', mask] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0) return entry.trim().toLowerCase();
  const full = family === 4 ? 32 : 128;
  let prefix = full;
  if (mask !== undefined && mask !== '') {
    if (/^\d+$/.test(mask)) prefix = Number(mask);
    else if (isIP(mask) === 4) {
      prefix = mask
        .split('.')
        .map((octet) => Number(octet).toString(2).replace(/0/g, '').length)
        .reduce((a, b) => a + b, 0);
    }
  }
  return `${address.toLowerCase()}/${prefix}`;
}

/** A caller ID as Asterisk prints it: an empty one is `<unknown>`, a name alone is the name. */
function callerId(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '"" <>' || trimmed === '<>') return '<unknown>';
  const nameOnly = /^"(.*)" <>$/.exec(trimmed);
  return nameOnly?.[1] ?? trimmed;
}

/** A field's value in the form GET prints it, so the two can be compared as text. */
export function printedForm(field: string, value: string): string {
  switch (field) {
    case 'allow':
      return value
        .replace(/[()]/g, '')
        .split(/[|,]/)
        .map((c) => c.trim())
        .filter((c) => c !== '' && c !== '!all' && c !== 'all')
        .join('|');
    case 'match':
      return value
        .split(',')
        .filter((e) => e.trim() !== '')
        .map(matchEntry)
        .join(',');
    case 'callerid':
      return callerId(value);
    default: {
      const lower = value.trim().toLowerCase();
      // Numbers compare as numbers (2 = 2.000000), and only non-numbers can be flags.
      if (/^-?\d+(\.\d+)?$/.test(lower)) return String(Number(lower));
      if (TRUE.has(lower)) return 'true';
      if (FALSE.has(lower)) return 'false';
      return value.trim();
    }
  }
}

/** Whether `current` holds the variable a `set_var` sets (`NAME=VALUE`, printed as `NAME`). */
function holdsVariable(current: Readonly<Record<string, string>>, setVar: string): boolean {
  const at = setVar.indexOf('=');
  if (at <= 0) return false;
  return (current[setVar.slice(0, at).trim()] ?? '').trim() === setVar.slice(at + 1).trim();
}

/**
 * Whether `current` (GET, repeated attributes joined with `,`) holds every field of `wanted` (as
 * we PUT it). Fields we do not set are not compared.
 */
export function sameObject(
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(wanted).every(([field, value]) => {
    if (WRITE_ONLY.has(field)) return true;
    if (field === 'set_var') return holdsVariable(current, value);
    return printedForm(field, current[field] ?? '') === printedForm(field, value);
  });
}
