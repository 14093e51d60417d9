/**
 * A holiday calendar, created (`new`) or changed: its name and its dates (YYYY-MM-DD), saved as
 * a whole; deleted after a question, refused while an IVR uses it (the server's words, the IVRs
 * named).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useWords, type Translate } from '../../i18n';
import { useSession } from '../../session';
import { DeleteWithConfirm } from '../../ui/confirm-delete';
import { recordText } from '../../ui/record-kinds';
import { useToast } from '../../ui/toast';
import { DateList } from './date-list';

interface Draft {
  name: string;
  dates: string[];
}

function refusalText(t: Translate, err: unknown): string {
  if (
    err instanceof ApiError &&
    err.code === 'holiday_calendar_in_use' &&
    Array.isArray(err.details)
  )
    return t('inUseBy', {
      users: (err.details as { kind: string; name: string }[])
        .map((u) => recordText(t, u))
        .join(', '),
    });
  return problemOf(err);
}

export function HolidayCalendarEditor(props: { id: string }) {
  const creating = props.id === 'new';
  const id = Number(props.id);
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft | null>(creating ? { name: '', dates: [] } : null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (creating) return;
    api.call('get', '/api/v1/holiday-calendars/{id}', { path: { id } }).then(
      (c) => setDraft({ name: c.name, dates: c.dates }),
      (err: unknown) => setProblem(problemOf(err)),
    );
  }, [api, id, creating]);

  if (draft === null)
    return problem === null ? <p>{t('loading')}</p> : <p role="alert">{problem}</p>;
  const d = draft;
  const editable = can('ivrs.update');

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    try {
      const saved = creating
        ? await api.call('post', '/api/v1/holiday-calendars', { body: d })
        : await api.call('patch', '/api/v1/holiday-calendars/{id}', { path: { id }, body: d });
      toast.done(t('saved'));
      if (creating) navigate(`/admin/holiday-calendars/${saved.id}`);
      else setDraft({ name: saved.name, dates: saved.dates });
    } catch (err) {
      setProblem(refusalText(t, err));
    }
  }

  async function remove() {
    try {
      await api.call('delete', '/api/v1/holiday-calendars/{id}', { path: { id } });
      toast.done(t('deletedCount', { count: 1 }));
      navigate('/admin/holiday-calendars');
    } catch (err) {
      setProblem(refusalText(t, err));
    }
  }

  return (
    <section class="screen holiday-calendar" data-calendar={creating ? 'new' : id}>
      <h2>
        {t('holidayCalendars')}
        {creating ? '' : `: ${d.name}`}
      </h2>
      <p>
        <a href="#/admin/holiday-calendars">{t('backToList')}</a>
      </p>
      <form onSubmit={(e) => void save(e)}>
        <fieldset class="ivr-form-fields" disabled={!editable}>
          <div class="resource-form">
            <label class="field">
              <span>{t('name')}</span>
              <input
                name="name"
                required
                maxLength={64}
                value={d.name}
                onInput={(e) => setDraft({ ...d, name: e.currentTarget.value })}
              />
            </label>
            <span>{t('dates')}</span>
            <DateList dates={d.dates} onChange={(dates) => setDraft({ ...d, dates })} />
          </div>
          {problem !== null && (
            <p role="alert" class="problem" data-testid="calendar-problem">
              {problem}
            </p>
          )}
          {editable && (
            <div class="toolbar">
              <button type="submit" class="primary" data-testid="save">
                {t('save')}
              </button>
            </div>
          )}
        </fieldset>
      </form>
      {!creating && can('ivrs.delete') && (
        <DeleteWithConfirm label={t('deleteCalendar')} onDelete={() => void remove()} />
      )}
    </section>
  );
}
