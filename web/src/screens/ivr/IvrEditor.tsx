/**
 * An IVR (§11-3), created (`new`) or changed: its name and 標準ルーティング; 予約 ON / OFF with
 * its ordered rules (HH:MM from / to, the weekday boxes and ★, a destination; added, removed,
 * moved up and down), its 指定日 and a holiday calendar; ボタンルーティング ON / OFF with the
 * menu's audio file, a destination per key (1–9, 0, *, #), the wait for a key and the attempts.
 * Saved as a whole (rules, dates and keys replace what was there); a refusal is shown in the
 * server's words, a loop with its cycle named.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf, type Answer, type BodyOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useWords, type Translate, type Words } from '../../i18n';
import { useSession } from '../../session';
import { DeleteWithConfirm } from '../../ui/confirm-delete';
import { recordText } from '../../ui/record-kinds';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { DateList } from './date-list';
import {
  DestinationInput,
  useDestinationChoices,
  type DestinationChoices,
  type DraftDestination,
} from './destination-input';

type Ivr = Answer<'/api/v1/ivrs/{id}', 'get'>;
type Weekday = Ivr['schedule']['rules'][number]['weekdays'][number];
/** The menu's keys as the server names them (the document's types read the digits as numbers). */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
type MenuKey = (typeof KEYS)[number];

/** HH:MM on a 24-hour clock, as the server takes it (a browser's time input may show AM / PM). */
const TIME_PATTERN = '([01][0-9]|2[0-3]):[0-5][0-9]';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface DraftRule {
  from: string;
  to: string;
  weekdays: Weekday[];
  specifiedDates: boolean;
  destination: DraftDestination;
}

interface Draft {
  name: string;
  defaultRoute: DraftDestination;
  schedule: {
    enabled: boolean;
    rules: DraftRule[];
    specifiedDates: string[];
    holidayCalendarId: number | null;
  };
  buttons: {
    enabled: boolean;
    menuAudioFileId: number | null;
    keys: Partial<Record<MenuKey, DraftDestination>>;
    noInputSeconds: number;
    attempts: number;
  };
}

const NEW_IVR: Draft = {
  name: '',
  defaultRoute: null,
  schedule: { enabled: false, rules: [], specifiedDates: [], holidayCalendarId: null },
  buttons: { enabled: false, menuAudioFileId: null, keys: {}, noInputSeconds: 5, attempts: 3 },
};

const NEW_RULE: DraftRule = {
  from: '09:00',
  to: '18:00',
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  specifiedDates: false,
  destination: null,
};

const draftOf = (ivr: Ivr): Draft => ({
  name: ivr.name,
  defaultRoute: ivr.defaultRoute,
  schedule: { ...ivr.schedule, rules: ivr.schedule.rules.map((r) => ({ ...r })) },
  buttons: { ...ivr.buttons, keys: { ...(ivr.buttons.keys as Draft['buttons']['keys']) } },
});

type IvrBody = BodyOf<'/api/v1/ivrs', 'post'>;

/**
 * The body as the server takes it. A destination whose target is not chosen yet goes as it is:
 * the server's refusal says which field it is.
 */
function bodyOf(draft: Draft): IvrBody {
  const keys = Object.fromEntries(Object.entries(draft.buttons.keys).filter(([, d]) => d !== null));
  return {
    ...draft,
    buttons: { ...draft.buttons, keys },
  } as IvrBody;
}

/** The server's words; a loop as its cycle; a form's bad fields each with its place. */
function refusalText(t: Translate, err: unknown): string {
  if (err instanceof ApiError && err.code === 'route_loop' && Array.isArray(err.details))
    return t('routeLoop', {
      cycle: (err.details as { kind: string; name: string }[])
        .map((r) => recordText(t, r))
        .join(' → '),
    });
  if (err instanceof ApiError && Array.isArray(err.details) && err.code === 'validation_failed') {
    const fields = (err.details as { path?: string; message?: string }[])
      .map((d) => `${d.path ?? ''}: ${d.message ?? ''}`)
      .join('; ');
    return `${err.message} (${fields})`;
  }
  return problemOf(err);
}

function moved<T>(items: T[], index: number, by: -1 | 1): T[] {
  const next = [...items];
  const other = index + by;
  if (other < 0 || other >= items.length) return items;
  [next[index], next[other]] = [next[other] as T, next[index] as T];
  return next;
}

export function IvrEditor(props: { id: string }) {
  const creating = props.id === 'new';
  const id = Number(props.id);
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const choices = useDestinationChoices();
  const calendars = useLoad(
    () => api.call('get', '/api/v1/holiday-calendars', { query: { limit: '500' } }),
    [api],
  );
  const [draft, setDraft] = useState<Draft | null>(creating ? NEW_IVR : null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (creating) return;
    api.call('get', '/api/v1/ivrs/{id}', { path: { id } }).then(
      (ivr) => setDraft(draftOf(ivr)),
      (err: unknown) => setProblem(problemOf(err)),
    );
  }, [api, id, creating]);

  if (draft === null)
    return problem === null ? <p>{t('loading')}</p> : <p role="alert">{problem}</p>;
  const d = draft;
  const editable = can('ivrs.update');
  const schedule = (change: Partial<Draft['schedule']>) =>
    setDraft({ ...d, schedule: { ...d.schedule, ...change } });
  const buttons = (change: Partial<Draft['buttons']>) =>
    setDraft({ ...d, buttons: { ...d.buttons, ...change } });
  const rule = (index: number, change: Partial<DraftRule>) =>
    schedule({
      rules: d.schedule.rules.map((r, i) => (i === index ? { ...r, ...change } : r)),
    });

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    try {
      const body = bodyOf(d);
      const saved = creating
        ? await api.call('post', '/api/v1/ivrs', { body })
        : await api.call('patch', '/api/v1/ivrs/{id}', { path: { id }, body });
      toast.done(t('saved'));
      if (creating) navigate(`/admin/ivrs/${saved.id}`);
      else setDraft(draftOf(saved));
    } catch (err) {
      setProblem(refusalText(t, err));
    }
  }

  async function remove() {
    try {
      await api.call('delete', '/api/v1/ivrs/{id}', { path: { id } });
      toast.done(t('deletedCount', { count: 1 }));
      navigate('/admin/ivrs');
    } catch (err) {
      setProblem(refusalText(t, err));
    }
  }

  return (
    <section class="screen ivr-editor" data-ivr={creating ? 'new' : id}>
      <h2>
        {t('ivrs')}
        {creating ? '' : `: ${d.name}`}
      </h2>
      <p>
        <a href="#/admin/ivrs">{t('backToList')}</a>
      </p>
      <form class="ivr-form" onSubmit={(e) => void save(e)}>
        <fieldset disabled={!editable}>
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
            <label class="field">
              <span>{t('defaultRoute')}</span>
              <DestinationInput
                name="defaultRoute"
                value={d.defaultRoute}
                choices={choices}
                selfIvrId={id}
                onChange={(v) => setDraft({ ...d, defaultRoute: v })}
              />
            </label>
          </div>

          <h3>
            <label>
              <input
                type="checkbox"
                name="schedule.enabled"
                checked={d.schedule.enabled}
                onChange={(e) => schedule({ enabled: e.currentTarget.checked })}
              />{' '}
              {t('scheduleRouting')}
            </label>
          </h3>
          <ol class="ivr-rules" data-testid="rules">
            {d.schedule.rules.map((r, i) => (
              <RuleRow
                key={i}
                index={i}
                rule={r}
                count={d.schedule.rules.length}
                choices={choices}
                selfIvrId={id}
                onChange={(change) => rule(i, change)}
                onMove={(by) => schedule({ rules: moved(d.schedule.rules, i, by) })}
                onRemove={() =>
                  schedule({ rules: d.schedule.rules.filter((_, other) => other !== i) })
                }
              />
            ))}
          </ol>
          <button
            type="button"
            data-testid="add-rule"
            onClick={() => schedule({ rules: [...d.schedule.rules, { ...NEW_RULE }] })}
          >
            {t('addRule')}
          </button>
          <div class="resource-form">
            <span>{t('specifiedDates')}</span>
            <DateList
              dates={d.schedule.specifiedDates}
              onChange={(specifiedDates) => schedule({ specifiedDates })}
            />
            <label class="field">
              <span>{t('holidayCalendar')}</span>
              <select
                name="schedule.holidayCalendarId"
                value={
                  d.schedule.holidayCalendarId === null ? '' : String(d.schedule.holidayCalendarId)
                }
                onChange={(e) =>
                  schedule({
                    holidayCalendarId:
                      e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
                  })
                }
              >
                <option value="">{t('none')}</option>
                {(calendars.data?.items ?? []).map((c) => (
                  <option key={c.id} value={String(c.id)}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          </div>

          <h3>
            <label>
              <input
                type="checkbox"
                name="buttons.enabled"
                checked={d.buttons.enabled}
                onChange={(e) => buttons({ enabled: e.currentTarget.checked })}
              />{' '}
              {t('buttonRouting')}
            </label>
          </h3>
          <div class="resource-form" data-testid="buttons">
            <label class="field">
              <span>{t('menuAudioFile')}</span>
              <select
                name="buttons.menuAudioFileId"
                value={d.buttons.menuAudioFileId === null ? '' : String(d.buttons.menuAudioFileId)}
                onChange={(e) =>
                  buttons({
                    menuAudioFileId:
                      e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
                  })
                }
              >
                <option value="">{t('none')}</option>
                {choices.audio.map((f) => (
                  <option key={f.id} value={String(f.id)}>
                    {f.name}
                  </option>
                ))}
              </select>
            </label>
            {KEYS.map((key) => (
              <label class="field" key={key}>
                <span>{t('menuKey', { key })}</span>
                <DestinationInput
                  name={`key.${key}`}
                  value={d.buttons.keys[key] ?? null}
                  choices={choices}
                  selfIvrId={id}
                  onChange={(v) => buttons({ keys: { ...d.buttons.keys, [key]: v } })}
                />
              </label>
            ))}
            <label class="field">
              <span>{t('noInputSeconds')}</span>
              <input
                type="number"
                name="buttons.noInputSeconds"
                min={1}
                max={60}
                value={d.buttons.noInputSeconds}
                onInput={(e) => buttons({ noInputSeconds: Number(e.currentTarget.value) })}
              />
            </label>
            <label class="field">
              <span>{t('attempts')}</span>
              <input
                type="number"
                name="buttons.attempts"
                min={1}
                max={10}
                value={d.buttons.attempts}
                onInput={(e) => buttons({ attempts: Number(e.currentTarget.value) })}
              />
            </label>
          </div>
          {problem !== null && (
            <p role="alert" class="problem" data-testid="ivr-problem">
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
        <DeleteWithConfirm label={t('deleteIvr')} onDelete={() => void remove()} />
      )}
    </section>
  );
}

function RuleRow(props: {
  index: number;
  rule: DraftRule;
  count: number;
  choices: DestinationChoices;
  selfIvrId: number;
  onChange: (change: Partial<DraftRule>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useWords();
  const { index: i, rule: r } = props;
  const name = `rule.${i}`;
  const tick = (day: Weekday, on: boolean) =>
    props.onChange({
      weekdays: WEEKDAYS.filter((w) => (w === day ? on : r.weekdays.includes(w))),
    });
  return (
    <li class="ivr-rule card" data-rule={i + 1}>
      <strong>{t('rule', { number: i + 1 })}</strong>
      <label>
        {t('timeFrom')}{' '}
        <input
          type="text"
          class="time-of-day"
          pattern={TIME_PATTERN}
          placeholder="HH:MM"
          maxLength={5}
          name={`${name}.from`}
          value={r.from}
          onInput={(e) => props.onChange({ from: e.currentTarget.value })}
        />
      </label>
      <label>
        {t('timeTo')}{' '}
        <input
          type="text"
          class="time-of-day"
          pattern={TIME_PATTERN}
          placeholder="HH:MM"
          maxLength={5}
          name={`${name}.to`}
          value={r.to}
          onInput={(e) => props.onChange({ to: e.currentTarget.value })}
        />
      </label>
      <span class="weekdays">
        {WEEKDAYS.map((day) => (
          <label key={day}>
            <input
              type="checkbox"
              name={`${name}.${day}`}
              checked={r.weekdays.includes(day)}
              onChange={(e) => tick(day, e.currentTarget.checked)}
            />
            {t(`weekday_${day}` as keyof Words)}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            name={`${name}.star`}
            checked={r.specifiedDates}
            onChange={(e) => props.onChange({ specifiedDates: e.currentTarget.checked })}
          />
          {t('specifiedDateMark')}
        </label>
      </span>
      <DestinationInput
        name={`${name}.destination`}
        value={r.destination}
        choices={props.choices}
        selfIvrId={props.selfIvrId}
        onChange={(destination) => props.onChange({ destination })}
      />
      <span class="rule-actions">
        <button
          type="button"
          data-testid={`rule-up-${i + 1}`}
          disabled={i === 0}
          onClick={() => props.onMove(-1)}
        >
          {t('moveUp')}
        </button>
        <button
          type="button"
          data-testid={`rule-down-${i + 1}`}
          disabled={i === props.count - 1}
          onClick={() => props.onMove(1)}
        >
          {t('moveDown')}
        </button>
        <button type="button" data-testid={`rule-remove-${i + 1}`} onClick={props.onRemove}>
          {t('remove')}
        </button>
      </span>
    </li>
  );
}
