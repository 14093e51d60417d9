/**
 * A resource's detail (§11: 詳細): its form, saved with "変更を保存しました" (only the fields
 * changed are sent), or refused with the server's words next to each field; delete after a
 * confirmation. `new` is the create form.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf } from '../api/client';
import { navigate } from '../app/router';
import { useWords } from '../i18n';
import { useSession } from '../session';
import { ConfirmDelete } from '../ui/confirm-delete';
import { useToast } from '../ui/toast';
import { baseOf, textOf, type Field, type ResourceDescriptor, type Row } from './descriptor';
import { FieldInput } from './FieldInput';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function ResourceDetail(props: { resource: ResourceDescriptor; id: string }) {
  const r = props.resource;
  const creating = props.id === 'new';
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [loaded, setLoaded] = useState<Row | null>(creating ? {} : null);
  const [values, setValues] = useState<Row>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [revision, setRevision] = useState(0);
  const id = Number(props.id);

  useEffect(() => {
    if (creating) return;
    const read = r.readable
      ? (api.raw('get', r.item, { path: { id } }) as Promise<Row>)
      : (
          api.raw('get', r.list, { query: r.paged ? { limit: '500' } : {} }) as Promise<{
            items: Row[];
          }>
        ).then((page) => page.items.find((row) => row.id === id) ?? {});
    read.then(
      (answer) => {
        const row = r.fromApi?.(answer) ?? answer;
        setLoaded(row);
        setValues(row);
      },
      (err: unknown) => setProblem(problemOf(err)),
    );
  }, [api, r, id, creating]);

  const fields: Field[] = creating
    ? [...(r.createFields ?? []), ...r.fields].filter((f) => f.type !== 'output')
    : r.fields;
  const editable = can(r.permissions.update);
  const frozen = creating || loaded === null ? undefined : r.frozen?.(loaded);
  const isFrozen = (f: Field) => frozen?.fields.includes(f.name) === true;

  async function save(event: Event) {
    event.preventDefault();
    setProblems({});
    setProblem(null);
    const body: Row = {};
    for (const f of fields) {
      if (f.type === 'output' || isFrozen(f)) continue;
      const value = values[f.name];
      if (creating ? value === undefined || value === '' : same(value, loaded?.[f.name])) continue;
      if (f.type === 'secret' && (value === '' || value === undefined)) continue;
      body[f.name] = value;
    }
    try {
      if (creating && r.create !== undefined) {
        const created = (await api.raw('post', r.create, { body })) as Row;
        toast.done(t('saved'));
        navigate(`${baseOf(r)}/${String(created.id)}`);
      } else {
        const answer = (await api.raw('patch', r.item, { path: { id }, body })) as Row;
        const saved = r.fromApi?.(answer) ?? answer;
        setLoaded(saved);
        setValues(saved);
        setRevision((n) => n + 1);
        toast.done(t('saved'));
      }
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.details)) {
        const byField: Record<string, string> = {};
        for (const d of err.details as { path?: string; message?: string }[])
          byField[(d.path ?? '').split('.')[0] ?? ''] = d.message ?? '';
        setProblems(byField);
      }
      setProblem(problemOf(err));
    }
  }

  async function remove() {
    setConfirming(false);
    try {
      await api.raw('delete', r.item, { path: { id } });
      toast.done(t('deleted', { count: 1 }));
      navigate(baseOf(r));
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  if (loaded === null) return <p>{problem ?? t('loading')}</p>;
  return (
    <section class="screen resource-detail" data-resource={r.key}>
      <h2>
        <a href={`#${baseOf(r)}`}>{t(r.title)}</a> › {creating ? t('create') : String(id)}
      </h2>
      <form class="resource-form" onSubmit={(e) => void save(e)}>
        {fields.map((f) => (
          <label key={f.name} class={`field field-${f.type}`}>
            <span>{t(f.label)}</span>
            {!creating && r.createOnly?.includes(f.name) === true ? (
              <output name={f.name}>{textOf(values[f.name])}</output>
            ) : (
              <fieldset
                disabled={!editable || isFrozen(f)}
                class="field-input"
                style={{ display: 'contents' }}
              >
                <FieldInput
                  field={f}
                  value={values[f.name]}
                  onChange={(v) => setValues({ ...values, [f.name]: v })}
                />
              </fieldset>
            )}
            {problems[f.name] !== undefined && <em class="problem">{problems[f.name]}</em>}
          </label>
        ))}
        {frozen?.note !== undefined && (
          <p class="notice" data-testid="frozen-note" style={{ gridColumn: '1 / -1' }}>
            {t(frozen.note)}
          </p>
        )}
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        {editable && (
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="save">
              {t('save')}
            </button>
            {!creating &&
              frozen?.deletable !== false &&
              r.permissions.delete !== undefined &&
              can(r.permissions.delete) && (
                <button
                  type="button"
                  class="danger"
                  data-testid="delete"
                  onClick={() => setConfirming(true)}
                >
                  {t('delete')}
                </button>
              )}
          </div>
        )}
      </form>
      {!creating &&
        r.sections
          ?.filter((section) => section.permission === undefined || can(section.permission))
          .map((section) => (
            <section key={section.title} class="detail-section" data-section={section.title}>
              <h3>{t(section.title)}</h3>
              <section.view id={id} row={loaded} revision={revision} />
            </section>
          ))}
      {confirming && (
        <ConfirmDelete
          count={1}
          onDelete={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
