/**
 * The mapping screen (§10-13): the file's first rows in a table, above each column (列1, 列2 …) a
 * dropdown of the fields it may hold, set to what its header suggests, `--` to ignore it. 実行 is
 * refused while the mapping lacks what the server requires; the server's own 422 problems are
 * shown too (a field the file's format no longer has, say).
 */
import { useState } from 'preact/hooks';
import {
  describeMappingProblem,
  IGNORE,
  mappingProblems,
  type ImportPreview,
  type MappingProblem,
} from './mapping';
import { useImportWords } from './words';

/** What the server refused the upload with. */
export interface ServerProblem {
  message: string;
  problems: MappingProblem[];
}

export function MappingStep(props: {
  preview: ImportPreview;
  serverProblem: ServerProblem | null;
  busy: boolean;
  onBack: () => void;
  onRun: (mapping: readonly string[]) => void;
}) {
  const w = useImportWords();
  const { preview } = props;
  const columns = Array.from({ length: preview.columns }, (_, i) => i);
  const [mapping, setMapping] = useState<string[]>(() =>
    columns.map((i) => preview.suggestedMapping[i] ?? IGNORE),
  );
  const problems = mappingProblems(mapping, preview.fields).map((p) =>
    describeMappingProblem(p, preview.fields, w),
  );
  const server = props.serverProblem;
  const serverLines =
    server === null
      ? []
      : server.problems.length > 0
        ? server.problems.map((p) => describeMappingProblem(p, preview.fields, w))
        : [server.message];

  return (
    <div class="import-mapping" data-testid="import-mapping">
      <p class="notice" data-testid="import-read-as">
        {w('readAs', {
          encoding: w(`encoding_${preview.encoding}`),
          total: preview.totalRows,
          shown: preview.rows.length,
        })}
      </p>
      <div class="import-table">
        <table class="grid" data-testid="mapping-table">
          <thead>
            <tr>
              <th>{w('rowNo')}</th>
              {columns.map((i) => (
                <th key={i} data-column={i + 1}>
                  <label>
                    <span class="column-name">{w('column', { n: i + 1 })}</span>
                    <select
                      name={`column.${i + 1}`}
                      value={mapping[i]}
                      onChange={(e) => {
                        const next = [...mapping];
                        next[i] = e.currentTarget.value;
                        setMapping(next);
                      }}
                    >
                      <option value={IGNORE}>{w('ignore')}</option>
                      {preview.fields.map((f) => (
                        <option key={f.key} value={f.key}>
                          {f.label}
                        </option>
                      ))}
                    </select>
                  </label>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.header !== null && (
              <tr class="import-header-row" data-row="header">
                <td>{w('headerRow')}</td>
                {columns.map((i) => (
                  <td key={i}>{preview.header?.[i] ?? ''}</td>
                ))}
              </tr>
            )}
            {preview.rows.map((r) => (
              <tr key={r.row} data-row={r.row}>
                <td>{r.row}</td>
                {columns.map((i) => (
                  <td key={i} class={mapping[i] === IGNORE ? 'ignored' : undefined}>
                    {r.cells[i] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {problems.length > 0 && (
        <ul role="alert" class="problem" data-testid="mapping-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {serverLines.length > 0 && (
        <ul role="alert" class="problem" data-testid="server-problems">
          {serverLines.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div class="toolbar">
        <button type="button" data-testid="import-back" onClick={props.onBack}>
          {w('back')}
        </button>
        <button
          type="button"
          class="primary"
          data-testid="import-run"
          disabled={problems.length > 0 || props.busy}
          onClick={() => props.onRun(mapping)}
        >
          {w('run')}
        </button>
      </div>
    </div>
  );
}
