/**
 * fast-check arbitraries read from zod 4 schemas (`schema._zod.def`): `validArb` for values the
 * schema should accept, `invalidArb` for deliberate mutations it should refuse (wrong type, out of
 * range, missing or extra keys, overlong, control characters, non-canonical numbers …).
 *
 * Neither promise is kept exactly (refinements and transforms are not solved, only helped by the
 * schema's defaults and by known values; and some mutations happen to be valid): callers classify
 * every generated value with the schema's own `safeParse`. The arbitraries only decide how often
 * each side is explored.
 */
import fc from 'fast-check';
import { safeParse, type z } from 'zod';

type Schema = z.core.$ZodType;
type Check = z.core.$ZodCheck;

export interface GenContext {
  /**
   * How the value travels: `json` (a request body) or `text` (path parameters and query strings,
   * where every leaf is a string).
   */
  wire: 'json' | 'text';
  /** Existing ids, mixed into positive integers so that references and paths sometimes exist. */
  ids: readonly number[];
  /** Existing strings (login IDs, extensions, numbers …), mixed in so uniqueness checks fire. */
  strings: readonly string[];
  /**
   * Give some string leaves of valid values a control, bidi or BOM character, each leaf on its
   * own so that shrinking keeps only the ones that matter.
   */
  hostile?: boolean;
}

/** Characters no stored text should contain: C0/C1 controls, DEL, bidi controls, BOM, separators. */
export const FORBIDDEN_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/u;

/** The same but tabs and line breaks, which a text that spans lines may hold. */
export const FORBIDDEN_IN_ANY_TEXT =
  // eslint-disable-next-line no-control-regex
  /(?![\t\n\r])[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/u;

/** What the hostile-string mutation inserts: NUL, CR, LF, TAB, ESC, DEL, NEL, RLO, RLI, LS, BOM. */
const HOSTILE_CHARACTERS = [
  '\u0000',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2067',
  '\u2028',
  '\ufeff',
];

/** Numbers written the ways `Number()` accepts but a canonical decimal integer is not. */
const ODD_NUMBER_TEXTS = [
  '0x1',
  '0X10',
  '1e0',
  '1E1',
  '1e400',
  '-1',
  '-0',
  '0',
  '00',
  '01',
  ' 1',
  '1 ',
  '\t1',
  '+1',
  '1.0',
  '1.',
  '.5',
  '1.5',
  '0b1',
  '0o7',
  'Infinity',
  '-Infinity',
  'NaN',
  '',
  '9007199254740993',
  '99999999999999999999',
  '1_000',
  '１',
  '٣',
  'abc',
  '1abc',
];

const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, 'x', '', [], {}, [1], { a: 1 }];

/** Keys an "extra garbage" mutation adds (never the prototype-poisoning ones Fastify refuses). */
const GARBAGE_KEYS = ['extra', 'id', 'admin', 'isAdmin', 'role', '$where', 'x'.repeat(70), '名前'];

/** The date-time window most generated instants fall in (fixed, so a seed replays the same). */
export const DATE_ANCHOR = { from: Date.UTC(2025, 2, 8), to: Date.UTC(2025, 2, 12) };

const MAX_STRING = 80;

function defOf(schema: Schema): z.core.$ZodTypes['_zod']['def'] {
  return (schema as z.core.$ZodTypes)._zod.def;
}

function checksOf(schema: Schema): Check[] {
  return schema._zod.def.checks ?? [];
}

function checkDef(check: Check): Record<string, unknown> & { check: string } {
  return check._zod.def as unknown as Record<string, unknown> & { check: string };
}

/** The schema under optional / nullable / default / readonly / catch / nonoptional wrappers. */
export function unwrap(schema: Schema): Schema {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return unwrap(def.innerType);
    default:
      return schema;
  }
}

/** Whether a key with this schema may be left out of an object. */
export function isOptionalKey(schema: Schema): boolean {
  return schema._zod.optin === 'optional';
}

interface StringBounds {
  min: number;
  max: number | undefined;
  patterns: RegExp[];
  format: string | undefined;
}

function stringBounds(schema: Schema): StringBounds {
  const bounds: StringBounds = { min: 0, max: undefined, patterns: [], format: undefined };
  const own = schema._zod.def as unknown as { format?: string; pattern?: RegExp };
  if (typeof own.format === 'string') bounds.format = own.format;
  if (own.pattern instanceof RegExp) bounds.patterns.push(own.pattern);
  for (const check of checksOf(schema)) {
    const def = checkDef(check);
    if (def.check === 'min_length') bounds.min = Math.max(bounds.min, Number(def.minimum));
    if (def.check === 'max_length')
      bounds.max = Math.min(bounds.max ?? Infinity, Number(def.maximum));
    if (def.check === 'length_equals') bounds.min = bounds.max = Number(def.length);
    if (def.check === 'string_format') {
      if (def.pattern instanceof RegExp) bounds.patterns.push(def.pattern);
      if (def.format !== 'regex' && typeof def.format === 'string') bounds.format = def.format;
    }
  }
  return bounds;
}

interface NumberBounds {
  int: boolean;
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
}

function numberBounds(schema: Schema): NumberBounds {
  const bounds: NumberBounds = {
    int: false,
    min: -Number.MAX_VALUE,
    max: Number.MAX_VALUE,
    minExclusive: false,
    maxExclusive: false,
  };
  for (const check of checksOf(schema)) {
    const def = checkDef(check);
    const value = Number(def.value);
    if (def.check === 'greater_than' && value >= bounds.min) {
      bounds.min = value;
      bounds.minExclusive = def.inclusive !== true;
    }
    if (def.check === 'less_than' && value <= bounds.max) {
      bounds.max = value;
      bounds.maxExclusive = def.inclusive !== true;
    }
    if (def.check === 'number_format') {
      const format = String(def.format);
      if (format === 'safeint' || format.endsWith('int32')) bounds.int = true;
      if (format === 'safeint') {
        bounds.min = Math.max(bounds.min, Number.MIN_SAFE_INTEGER);
        bounds.max = Math.min(bounds.max, Number.MAX_SAFE_INTEGER);
      }
      if (format === 'int32') {
        bounds.min = Math.max(bounds.min, -(2 ** 31));
        bounds.max = Math.min(bounds.max, 2 ** 31 - 1);
      }
      if (format === 'uint32') {
        bounds.min = Math.max(bounds.min, 0);
        bounds.max = Math.min(bounds.max, 2 ** 32 - 1);
      }
    }
  }
  if (bounds.int) {
    bounds.min = bounds.minExclusive ? Math.floor(bounds.min) + 1 : Math.ceil(bounds.min);
    bounds.max = bounds.maxExclusive ? Math.ceil(bounds.max) - 1 : Math.floor(bounds.max);
    bounds.minExclusive = bounds.maxExclusive = false;
  }
  return bounds;
}

/** Whether a number schema coerces (z.coerce.number()), i.e. accepts whatever Number() reads. */
export function isCoercedNumber(schema: Schema): boolean {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'pipe') return isCoercedNumber(def.in);
  return def.type === 'number' && def.coerce === true;
}

/** Whether a coerced number schema only accepts integers. */
export function isIntegerNumber(schema: Schema): boolean {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'pipe') return isIntegerNumber(def.in);
  return def.type === 'number' && numberBounds(inner).int;
}

const asText =
  (ctx: GenContext) =>
  (value: unknown): unknown =>
    ctx.wire === 'text' && (typeof value === 'number' || typeof value === 'boolean')
      ? String(value)
      : value;

function integerArb(bounds: NumberBounds, ctx: GenContext): fc.Arbitrary<number> {
  const min = Math.max(bounds.min, Number.MIN_SAFE_INTEGER);
  const max = Math.min(bounds.max, Number.MAX_SAFE_INTEGER);
  if (min > max) return fc.constant(min);
  const options: fc.WeightedArbitrary<number>[] = [
    { weight: 3, arbitrary: fc.integer({ min, max: Math.min(max, Math.max(min, 0) + 12) }) },
    { weight: 2, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
  ];
  const known = ctx.ids.filter((id) => id >= min && id <= max);
  if (known.length > 0 && min >= 0) {
    options.push({ weight: 4, arbitrary: fc.constantFrom(...known) });
  }
  return fc.oneof(...options);
}

function numberArb(schema: Schema, ctx: GenContext): fc.Arbitrary<number> {
  const bounds = numberBounds(schema);
  // Coerced numbers parse from text: the known ids are tried the way they would arrive.
  const known = (base: fc.Arbitrary<number>) =>
    isCoercedNumber(schema)
      ? withKnown(schema, base.map(String), ctx.ids.map(String)).map(Number)
      : withKnown(schema, base, ctx.ids);
  if (bounds.int) return known(integerArb(bounds, ctx));
  const min = Math.max(bounds.min, -1e9);
  const max = Math.min(bounds.max, 1e9);
  return known(
    fc.oneof(
      integerArb({ ...bounds, int: true, min: Math.ceil(min), max: Math.floor(max) }, ctx),
      fc.double({
        min,
        max,
        minExcluded: bounds.minExclusive,
        maxExcluded: bounds.maxExclusive,
        noNaN: true,
        noDefaultInfinity: true,
      }),
    ),
  );
}

/** An instant near the anchor (mostly) or anywhere in 2000-2099, as an ISO string. */
function isoInstant(withOffset: boolean): fc.Arbitrary<string> {
  const date = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: DATE_ANCHOR.from, max: DATE_ANCHOR.to }) },
    { weight: 1, arbitrary: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }) },
  );
  const utc = date.map((ms) => new Date(ms).toISOString());
  if (!withOffset) return utc;
  const offset = fc.constantFrom('Z', '+09:00', '-05:00', '+00:00', '+05:45');
  return fc.oneof(
    { weight: 3, arbitrary: utc },
    {
      weight: 1,
      arbitrary: fc.tuple(date, offset).map(([ms, tz]) => {
        const sign = tz === 'Z' ? 0 : tz.startsWith('-') ? -1 : 1;
        const minutes = tz === 'Z' ? 0 : Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6));
        const local = new Date(ms + sign * minutes * 60_000).toISOString().slice(0, 19);
        return `${local}${tz}`;
      }),
    },
  );
}

function formatArb(format: string, schema: Schema): fc.Arbitrary<string> | undefined {
  const def = schema._zod.def as unknown as { offset?: boolean };
  switch (format) {
    case 'datetime':
      return isoInstant(def.offset === true);
    case 'date':
      return isoInstant(false).map((s) => s.slice(0, 10));
    case 'uuid':
    case 'guid':
      return fc.uuid();
    case 'url':
      return fc.webUrl({ validSchemes: ['http', 'https'], size: 'small' });
    case 'email':
      return fc.emailAddress({ size: 'small' });
    default:
      return undefined;
  }
}

const ALPHANUMERIC = fc.stringMatching(/^[A-Za-z0-9]$/);

function plainText(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) },
    { weight: 2, arbitrary: fc.string({ unit: ALPHANUMERIC, minLength: min, maxLength: max }) },
  );
}

/** `^[class]+$` / `^[class]*$`: generated by length, which stringMatching does not bound. */
const CHARACTER_CLASS_RUN = /^\^(\[[^\]]+\])[+*]\$$/;

function stringArb(schema: Schema, ctx: GenContext): fc.Arbitrary<string> {
  const { min, max, patterns, format } = stringBounds(schema);
  const formatted = format === undefined ? undefined : formatArb(format, schema);
  const upper = Math.min(max ?? MAX_STRING, Math.max(min, MAX_STRING));
  const run = patterns.length === 1 ? CHARACTER_CLASS_RUN.exec(patterns[0]?.source ?? '') : null;
  let base: fc.Arbitrary<string>;
  if (formatted !== undefined) base = formatted;
  else if (run?.[1] !== undefined) {
    const unit = fc.stringMatching(new RegExp(`^${run[1]}$`));
    base = fc.string({ unit, minLength: Math.max(min, 1), maxLength: Math.min(upper, min + 24) });
  } else if (patterns[0] !== undefined) base = fc.stringMatching(patterns[0], { size: 'small' });
  else {
    base = fc.oneof(
      { weight: 6, arbitrary: plainText(min, Math.min(upper, min + 24)) },
      { weight: 1, arbitrary: fc.constant('x'.repeat(upper)) },
    );
  }
  const value = withKnown(schema, base, ctx.strings);
  return ctx.hostile === true
    ? fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: hostileText(value) })
    : value;
}

/**
 * Mixes in the known values the schema accepts. Where a refinement decides (a password policy,
 * a time zone) they are most of what gets through, so they weigh more.
 */
function withKnown<T>(
  schema: Schema,
  base: fc.Arbitrary<T>,
  values: readonly T[],
): fc.Arbitrary<T> {
  const known = values.filter((v) => safeParse(schema, v).success);
  if (known.length === 0) return base;
  const refined = checksOf(schema).some((c) => checkDef(c).check === 'custom');
  return fc.oneof(
    { weight: refined ? 1 : 4, arbitrary: base },
    { weight: refined ? 3 : 1, arbitrary: fc.constantFrom(...known) },
  );
}

function arrayBounds(schema: Schema): { min: number; max: number } {
  let min = 0;
  let max = Infinity;
  for (const check of checksOf(schema)) {
    const def = checkDef(check);
    if (def.check === 'min_length') min = Number(def.minimum);
    if (def.check === 'max_length') max = Number(def.maximum);
    if (def.check === 'length_equals') min = max = Number(def.length);
  }
  return { min, max };
}

/** Values the schema should accept (mostly: refinements and transforms are not solved). */
export function validArb(schema: Schema, ctx: GenContext, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  const def = defOf(schema);
  const next = (s: Schema) => validArb(s, ctx, depth + 1);
  switch (def.type) {
    case 'string':
      return stringArb(schema, ctx);
    case 'number':
      return numberArb(schema, ctx).map(asText(ctx));
    case 'boolean':
      return fc.boolean().map(asText(ctx));
    case 'literal':
      return fc.constantFrom(...def.values).map(asText(ctx));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries)).map(asText(ctx));
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
    case 'never':
      return fc.constant(undefined);
    case 'default':
    case 'prefault': {
      // The default is a value the schema's author vouches for (a time zone, a chart window …),
      // often the only one a refinement lets through.
      const example = fc.constant(def.defaultValue).map(asText(ctx));
      return fc.oneof({ weight: 2, arbitrary: next(def.innerType) }, example);
    }
    case 'optional':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return next(def.innerType);
    case 'nullable':
      return ctx.wire === 'text'
        ? next(def.innerType)
        : fc.oneof({ weight: 4, arbitrary: next(def.innerType) }, fc.constant(null));
    case 'object': {
      const entries = Object.entries(def.shape);
      const model = Object.fromEntries(entries.map(([key, s]) => [key, next(s)]));
      const requiredKeys = entries.filter(([, s]) => !isOptionalKey(s)).map(([key]) => key);
      return fc.record(model, { requiredKeys });
    }
    case 'array': {
      const { min, max } = arrayBounds(schema);
      return fc.array(next(def.element), { minLength: min, maxLength: Math.min(max, min + 4) });
    }
    case 'tuple':
      return fc.tuple(...def.items.map(next));
    case 'union':
      return fc.oneof(...def.options.map(next));
    case 'intersection':
      return next(def.left);
    case 'record':
      return fc.dictionary(next(def.keyType).map(String), next(def.valueType), { maxKeys: 3 });
    case 'pipe': {
      // phoneDigits-style pipes (string → transform → regex) are best generated from their end.
      const out = defOf(def.out).type === 'transform' ? undefined : def.out;
      return out === undefined
        ? next(def.in)
        : fc.oneof({ weight: 6, arbitrary: next(out) }, { weight: 1, arbitrary: next(def.in) });
    }
    case 'lazy':
      return next(def.getter());
    default:
      return ctx.wire === 'text' ? fc.string() : fc.jsonValue({ maxDepth: 2 });
  }
}

const wrongType = (ctx: GenContext): fc.Arbitrary<unknown> =>
  ctx.wire === 'text'
    ? fc.constantFrom('', 'null', '[]', '{}', 'x')
    : fc.constantFrom(...WRONG_TYPES);

/** A valid string with a control, bidi or BOM character inserted somewhere. */
export function hostileText(base: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.constantFrom(...HOSTILE_CHARACTERS), fc.nat())
    .map(([value, hostile, at]) => {
      // By code points, so that no surrogate pair is split (a URL could not carry the halves).
      const chars = Array.from(typeof value === 'string' ? value : String(value));
      chars.splice(at % (chars.length + 1), 0, hostile);
      return chars.join('');
    });
}

function invalidString(schema: Schema, ctx: GenContext): fc.Arbitrary<unknown> {
  const { min, max, patterns, format } = stringBounds(schema);
  const valid = stringArb(schema, ctx);
  const options: fc.Arbitrary<unknown>[] = [wrongType(ctx), hostileText(valid)];
  const long = max === undefined ? 300 : max + 1;
  options.push(fc.string({ minLength: long, maxLength: long + 8 }));
  if (min > 0) options.push(fc.string({ maxLength: min - 1 }));
  if (patterns.length > 0 || format !== undefined) {
    options.push(
      fc
        .tuple(valid, fc.constantFrom(' ', '-', 'x', '\u3000', 'Ａ', '１', '/', '%'))
        .map(([s, c]) => `${s}${c}`),
      fc.string({ maxLength: 12 }),
    );
  }
  return fc.oneof(...options);
}

function invalidNumber(schema: Schema, ctx: GenContext): fc.Arbitrary<unknown> {
  const bounds = numberBounds(schema);
  const edges: number[] = [-1, 0, -0, 2 ** 53, 2 ** 53 + 2, 1e21, -1e21, Number.MAX_VALUE];
  if (bounds.min > -Number.MAX_VALUE) edges.push(bounds.int ? bounds.min - 1 : bounds.min - 0.001);
  if (bounds.max < Number.MAX_VALUE) edges.push(bounds.int ? bounds.max + 1 : bounds.max + 0.001);
  if (bounds.int) edges.push(0.5, 1.5, 2.000001);
  if (ctx.wire === 'text') {
    const known = ctx.ids.length > 0 ? ctx.ids : [1];
    // The ids that exist, written the ways Number() reads but a decimal integer is not.
    const oddKnown = fc
      .tuple(fc.constantFrom(...known), fc.nat(6))
      .map(
        ([id, form]) =>
          [`0x${id.toString(16)}`, `${id}e0`, `0${id}`, ` ${id}`, `${id}.0`, `+${id}`, `${id}\n`][
            form
          ] ?? `${id}e0`,
      );
    return fc.oneof(
      fc.constantFrom(...ODD_NUMBER_TEXTS),
      oddKnown,
      fc.constantFrom(...edges.map(String)),
    );
  }
  return fc.oneof(
    fc.constantFrom(...edges),
    wrongType(ctx),
    fc.constantFrom(...ODD_NUMBER_TEXTS.slice(0, 8)),
  );
}

/** Mutations the schema should refuse (mostly; callers classify). */
export function invalidArb(schema: Schema, ctx: GenContext, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return wrongType(ctx);
  const def = defOf(schema);
  const next = (s: Schema) => invalidArb(s, ctx, depth + 1);
  switch (def.type) {
    case 'string':
      return invalidString(schema, ctx);
    case 'number':
      return invalidNumber(schema, ctx);
    case 'boolean':
      return ctx.wire === 'text'
        ? fc.constantFrom('1', '0', 'yes', 'TRUE', '', 'null')
        : fc.constantFrom('true', 'false', 1, 0, null, 'yes');
    case 'literal':
    case 'enum': {
      const values = def.type === 'literal' ? def.values : Object.values(def.entries);
      const texts = values.map(String);
      return fc.oneof(
        wrongType(ctx),
        fc
          .constantFrom(...texts)
          .chain((v) =>
            fc.constantFrom(v.toUpperCase(), `${v} `, ` ${v}`, `${v}\u0000`, v.slice(1) || 'x'),
          ),
        fc.string({ maxLength: 10 }),
      );
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return next(def.innerType);
    case 'object':
      return invalidObject(schema, def, ctx, depth);
    case 'array': {
      const { min, max } = arrayBounds(schema);
      const element = validArb(def.element, ctx, depth + 1);
      const options: fc.Arbitrary<unknown>[] = [
        wrongType(ctx),
        fc
          .tuple(fc.array(element, { maxLength: 3 }), next(def.element), fc.nat())
          .map(([items, bad, at]) => {
            const copy = [...items];
            copy.splice(at % (copy.length + 1), 0, bad);
            return copy;
          }),
      ];
      if (min > 0) options.push(fc.constant([]));
      if (max <= 64) options.push(fc.array(element, { minLength: max + 1, maxLength: max + 2 }));
      return fc.oneof(...options);
    }
    case 'union':
      return fc.oneof(wrongType(ctx), ...def.options.map(next));
    case 'pipe': {
      const out = defOf(def.out).type === 'transform' ? undefined : def.out;
      return out === undefined ? next(def.in) : fc.oneof(next(def.in), next(out));
    }
    case 'record':
      return fc.oneof(
        wrongType(ctx),
        fc.dictionary(fc.string({ maxLength: 8 }), next(def.valueType), {
          minKeys: 1,
          maxKeys: 2,
        }),
      );
    case 'lazy':
      return next(def.getter());
    default:
      return wrongType(ctx);
  }
}

function invalidObject(
  schema: Schema,
  def: z.core.$ZodObjectDef,
  ctx: GenContext,
  depth: number,
): fc.Arbitrary<unknown> {
  const valid = validArb(schema, ctx, depth) as fc.Arbitrary<Record<string, unknown>>;
  const keys = Object.keys(def.shape);
  const required = keys.filter((key) => {
    const field = def.shape[key];
    return field !== undefined && !isOptionalKey(field);
  });
  const options: fc.Arbitrary<unknown>[] = [];
  if (keys.length > 0) {
    // One field made invalid, the others as valid as they come.
    options.push(
      fc.constantFrom(...keys).chain((key) => {
        const field = def.shape[key];
        if (field === undefined) return valid;
        return fc
          .tuple(valid, invalidArb(field, ctx, depth + 1))
          .map(([object, bad]) => ({ ...object, [key]: bad }));
      }),
    );
  }
  if (required.length > 0) {
    options.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([object, key]) => {
        const copy = { ...object };
        Reflect.deleteProperty(copy, key);
        return copy;
      }),
    );
  }
  options.push(
    fc
      .tuple(valid, fc.constantFrom(...GARBAGE_KEYS), fc.oneof(fc.jsonValue({ maxDepth: 1 })))
      .map(([object, key, value]) => ({ ...object, [key]: value })),
  );
  if (ctx.wire === 'json') options.push(wrongType(ctx), fc.constant({}));
  return fc.oneof(...options);
}
