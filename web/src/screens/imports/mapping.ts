/**
 * The mapping screen's rules (§10-13: 列1, 列2 … each mapped to a field or `--`), checked in the
 * browser as the server checks them, so 実行 is refused before the upload: a field named once
 * unless it repeats, every required field mapped, and one of the fields that name a record (ID,
 * 顧客コード, 名称) mapped. The server's own 422 problems are worded the same way.
 */
import { ApiError, problemOf, type Answer } from '../../api/client';
import type { ImportTranslate, ImportWords } from './words';

export type ImportPreview = Answer<'/api/v1/imports/preview', 'post'>;
export type ImportField = ImportPreview['fields'][number];

/** The mapping value of a column to ignore. */
export const IGNORE = '--';

/** A problem as the server's 422 `invalid_mapping` lists it in `details.problems`. */
export type MappingProblem =
  | { problem: 'unknown_field'; column: number; key: string }
  | { problem: 'mapped_twice'; column: number; key: string }
  | { problem: 'required_unmapped'; key: string; label: string };

export function mappingProblems(
  mapping: readonly string[],
  fields: readonly ImportField[],
): MappingProblem[] {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  for (const [i, key] of mapping.entries()) {
    if (key === IGNORE) continue;
    const field = byKey.get(key);
    if (field === undefined) problems.push({ problem: 'unknown_field', column: i + 1, key });
    else if (seen.has(key) && field.repeatable !== true)
      problems.push({ problem: 'mapped_twice', column: i + 1, key });
    seen.add(key);
  }
  for (const f of fields)
    if (f.required === true && !seen.has(f.key))
      problems.push({ problem: 'required_unmapped', key: f.key, label: f.label });
  const identifying = fields.filter((f) => f.identifies === true);
  if (identifying.length > 0 && !identifying.some((f) => seen.has(f.key)))
    problems.push({
      problem: 'required_unmapped',
      key: identifying.map((f) => f.key).join('|'),
      label: identifying.map((f) => f.label).join(' / '),
    });
  return problems;
}

/** A problem in the screen's words (a field by its label, as the dropdowns show it). */
export function describeMappingProblem(
  problem: MappingProblem,
  fields: readonly ImportField[],
  w: ImportTranslate,
): string {
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  switch (problem.problem) {
    case 'required_unmapped':
      return problem.key.includes('|')
        ? w('needIdentifying', { labels: problem.label.split(' / ').join('・') })
        : w('needRequired', { label: problem.label });
    case 'mapped_twice':
      return w('mappedTwice', { column: problem.column, label: label(problem.key) });
    case 'unknown_field':
      return w('unknownField', { column: problem.column, key: problem.key });
  }
}

/** The problems of a 422 `invalid_mapping` answer's details, when it has them. */
export function problemsOfDetails(details: unknown): MappingProblem[] {
  if (typeof details !== 'object' || details === null || !('problems' in details)) return [];
  const problems = details.problems;
  return Array.isArray(problems) ? (problems as MappingProblem[]) : [];
}

const REFUSALS = new Set([
  'too_many_rows',
  'file_too_large',
  'body_too_large',
  'empty_file',
  'unknown_format',
  'unknown_tags',
]);

/** Why the server refused a preview or an upload, in the screen's words when it is a known why. */
export function describeRefusal(err: unknown, w: ImportTranslate): string {
  if (!(err instanceof ApiError) || !REFUSALS.has(err.code)) return problemOf(err);
  const details =
    typeof err.details === 'object' && err.details !== null
      ? Object.fromEntries(
          Object.entries(err.details).filter(
            (e): e is [string, string | number] =>
              typeof e[1] === 'string' || typeof e[1] === 'number',
          ),
        )
      : {};
  return w(`refused_${err.code}` as keyof ImportWords, details);
}
