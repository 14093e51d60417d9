/**
 * Reading a customer's format-field and custom-field values from a request: each value by its
 * field's type (readFieldValue), merged over what the customer holds, then every required field
 * checked. Pure: the field definitions come in; the problems go out, one per field, naming it.
 */
import type { FieldValue } from '../formats/field-types.js';
import {
  describeProblem,
  readFieldValue,
  type FieldProblem,
  type FieldSpec,
} from '../formats/field-values.js';

export interface NamedSpec extends FieldSpec {
  id: number;
  name: string;
}

export type RawValue = string | string[] | null;

export interface ValueProblem {
  /** Where in the request: `fields.<id>`, `custom.<id>`, `phones.<i>`, `email`. */
  field: string;
  /** The field's name, when it has one. */
  name?: string;
  problem: FieldProblem | 'unknown_field';
  message: string;
}

export const problemAt = (field: string, problem: FieldProblem, name?: string): ValueProblem => ({
  field,
  ...(name !== undefined && { name }),
  problem,
  message: `${name ?? field} ${describeProblem(problem, 'en')}`,
});

/**
 * `base` with `patch` applied: a given key takes its read value, null (or empty) removes it.
 * Keys of no field are problems; `prefix` names the part of the request (fields / custom).
 */
export function mergeValues(
  specs: readonly NamedSpec[],
  base: Readonly<Record<string, FieldValue>>,
  patch: Readonly<Record<string, RawValue>>,
  prefix: 'fields' | 'custom',
): { values: Record<string, FieldValue>; problems: ValueProblem[] } {
  const byId = new Map(specs.map((s) => [String(s.id), s]));
  const values: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(base)) if (byId.has(key)) values[key] = value;
  const problems: ValueProblem[] = [];
  for (const [key, raw] of Object.entries(patch)) {
    const spec = byId.get(key);
    if (spec === undefined) {
      problems.push({
        field: `${prefix}.${key}`,
        problem: 'unknown_field',
        message: `${prefix}.${key} is not a field of this customer`,
      });
      continue;
    }
    // Required-ness is checked on the whole result below, not on the patch.
    const reading = readFieldValue({ ...spec, required: false }, raw);
    if (!reading.ok) problems.push(problemAt(`${prefix}.${key}`, reading.problem, spec.name));
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a value cleared by the patch
    else if (reading.value === null) delete values[key];
    else values[key] = reading.value;
  }
  for (const spec of specs)
    if (
      spec.required &&
      values[String(spec.id)] === undefined &&
      !problems.some((p) => p.field === `${prefix}.${spec.id}`)
    )
      problems.push(problemAt(`${prefix}.${spec.id}`, 'required', spec.name));
  return { values, problems };
}

/** A phone list read as digits; the index of each bad number is named. */
export function readPhones(raw: readonly string[]): { phones: string[]; problems: ValueProblem[] } {
  const phones: string[] = [];
  const problems: ValueProblem[] = [];
  for (const [i, text] of raw.entries()) {
    const reading = readFieldValue({ type: 'phone', required: false, options: [] }, text);
    if (!reading.ok) problems.push(problemAt(`phones.${i}`, reading.problem));
    else if (typeof reading.value === 'string' && !phones.includes(reading.value))
      phones.push(reading.value);
  }
  return { phones, problems };
}

/** The digits of the phone-type format fields among `values`, in field order. */
export function fieldPhones(
  specs: readonly NamedSpec[],
  values: Readonly<Record<string, FieldValue>>,
): { fieldId: number; digits: string }[] {
  return specs.flatMap((s) => {
    const v = values[String(s.id)];
    return s.type === 'phone' && typeof v === 'string' ? [{ fieldId: s.id, digits: v }] : [];
  });
}
