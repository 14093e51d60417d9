/**
 * One キャンペーン (§10-8), or + 新規: every field of the manual's detail with its default —
 * 名称, ステータス, 発信者番号 (a registered number), 184発信, 区分, プレディクティブコール,
 * エージェントモード, サービスレベル, 発信速度倍率, 最大チャンネル, タイムアウト, 待ち呼タイムアウト,
 * 呼中音声(顧客) and the abandon message (audio files) with the abandon-rate ceiling, ACWステータス
 * (agent statuses) and ACW時間, 結果をコマンドで入力, 予約 From / To, 色 with the status tag as it
 * will look, 結果 (`番号,テキスト` lines, the server's complaint shown per line) and the agent
 * checklist (名称 / 内線). 保存 sends what changed; 削除 after a question.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf, type BodyOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { displayIdOf } from './CampaignsScreen';
import { agentOptions, type Campaign } from './results';
import { ColourTag } from './StatusTag';
import { useCampaignWords, type CampaignWords } from './words';
import './campaigns.css';

type Create = BodyOf<'/api/v1/campaigns', 'post'>;
type Update = BodyOf<'/api/v1/campaigns/{id}', 'patch'>;
type SettingKey = Exclude<
  keyof Create,
  'name' | 'results' | 'resultsText' | 'memberIds' | undefined
>;
type Form = Pick<Campaign, SettingKey | 'name' | 'resultsText'> & { memberIds: number[] };

/** The manual's defaults (§10-8), as the server takes them for unset fields. */
const DEFAULTS: Form = {
  name: '',
  enabled: false,
  phoneNumberId: null,
  withholdCallerId: false,
  type: 'preview',
  predictive: false,
  agentMode: 'ringing',
  serviceLevelPercent: 100,
  dialRatio: 1,
  maxChannels: 1,
  dialTimeoutSeconds: 180,
  agentRingSeconds: 20,
  holdAudioFileId: null,
  abandonAudioFileId: null,
  abandonTargetPercent: 3,
  predictiveMinAgents: 6,
  detectMachines: false,
  acwStatusId: null,
  acwSeconds: 0,
  dtmfResults: false,
  windowFrom: '00:00',
  windowTo: '23:59',
  textColor: '#000000',
  backgroundColor: '#ffffff',
  resultsText: '',
  memberIds: [],
};

const formOf = (c: Campaign): Form => {
  const form = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof Form)[])
    if (key !== 'memberIds') (form as Record<string, unknown>)[key] = c[key];
  form.memberIds = c.members.map((m) => m.agentId).sort((a, b) => a - b);
  return form;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Issue {
  where: string;
  message: string;
}

const issuesOf = (err: unknown): Issue[] =>
  err instanceof ApiError && err.code === 'invalid_results' && Array.isArray(err.details)
    ? (err.details as Issue[])
    : [];

export function CampaignDetail(props: { id: string }) {
  const w = useCampaignWords();
  const { api, can } = useSession();
  const toast = useToast();
  const creating = props.id === 'new';
  const id = Number(props.id);
  const editable = can('campaigns.update');
  const loaded = useLoad(
    async () =>
      creating ? undefined : api.call('get', '/api/v1/campaigns/{id}', { path: { id } }),
    [api, id],
  );
  const numbers = useLoad(
    async () =>
      can('phone_numbers.view')
        ? (await api.call('get', '/api/v1/phone-numbers', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const audio = useLoad(
    async () =>
      can('audio_files.view')
        ? (await api.call('get', '/api/v1/audio-files', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const statuses = useLoad(
    async () => (await api.call('get', '/api/v1/agent-statuses')).items,
    [api],
  );
  const agents = useLoad(() => agentOptions(api, can), [api]);
  const [values, setValues] = useState<Form | null>(creating ? { ...DEFAULTS } : null);
  const [problem, setProblem] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    if (loaded.data !== undefined) setValues(formOf(loaded.data));
  }, [loaded.data]);

  if (values === null)
    return <p>{loaded.error === undefined ? w('loading') : problemOf(loaded.error)}</p>;
  const v = values;
  const set = (change: Partial<Form>) => setValues({ ...v, ...change });

  async function save(e: Event) {
    e.preventDefault();
    setProblem(null);
    setIssues([]);
    try {
      if (creating) {
        const made = await api.call('post', '/api/v1/campaigns', {
          body: { ...v, name: v.name.trim() },
        });
        toast.done(w('created'));
        navigate(`/supervisor/campaigns/${made.id}`);
        return;
      }
      const before = loaded.data === undefined ? DEFAULTS : formOf(loaded.data);
      const body = Object.fromEntries(
        (Object.keys(v) as (keyof Form)[])
          .filter((k) => !same(v[k], before[k]))
          .map((k) => [k, k === 'name' ? v.name.trim() : v[k]]),
      ) as Update;
      if (Object.keys(body).length > 0)
        await api.call('patch', '/api/v1/campaigns/{id}', { path: { id }, body });
      toast.done(w('saved'));
      loaded.reload();
    } catch (err) {
      setIssues(issuesOf(err));
      setProblem(problemOf(err));
      toast.problem(problemOf(err));
    }
  }

  async function remove() {
    setDeleting(false);
    try {
      await api.call('delete', '/api/v1/campaigns/{id}', { path: { id } });
      toast.done(w('deleted'));
      navigate('/supervisor/campaigns');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const numberField = (
    key: SettingKey,
    label: keyof CampaignWords,
    unit: keyof CampaignWords | null,
    bounds: { min: number; max: number; step?: number },
  ) => (
    <label class="field">
      <span>{w(label)}</span>
      <span class="with-unit">
        <input
          type="number"
          name={key}
          min={bounds.min}
          max={bounds.max}
          step={bounds.step ?? 1}
          required
          disabled={!editable}
          value={String(v[key])}
          onInput={(e) => set({ [key]: Number(e.currentTarget.value) })}
        />
        {unit !== null && <span>{w(unit)}</span>}
      </span>
    </label>
  );

  /** A setting of two or more choices as the manual's radios. */
  const radios = <K extends SettingKey>(
    key: K,
    label: keyof CampaignWords,
    options: readonly { value: Form[K]; label: keyof CampaignWords }[],
  ) => (
    <>
      <span class="field-label">{w(label)}</span>
      <div class="field-control" role="radiogroup" data-setting={key}>
        {options.map((o) => (
          <label key={String(o.value)}>
            <input
              type="radio"
              name={key}
              value={String(o.value)}
              disabled={!editable}
              checked={v[key] === o.value}
              onChange={() => set({ [key]: o.value })}
            />
            {w(o.label)}
          </label>
        ))}
      </div>
    </>
  );
  const onOff = (key: SettingKey, label: keyof CampaignWords) =>
    radios(key, label, [
      { value: true, label: 'on' },
      { value: false, label: 'off' },
    ] as { value: Form[typeof key]; label: keyof CampaignWords }[]);

  const idSelect = (
    key: SettingKey,
    label: keyof CampaignWords,
    options: { id: number; label: string }[],
    noneLabel: keyof CampaignWords = 'none',
  ) => (
    <label class="field">
      <span>{w(label)}</span>
      <select
        name={key}
        disabled={!editable}
        value={v[key] === null ? '' : String(v[key])}
        onChange={(e) =>
          set({
            [key]: e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
          })
        }
      >
        <option value="">{w(noneLabel)}</option>
        {options.map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.label}
          </option>
        ))}
        {v[key] !== null && !options.some((o) => o.id === v[key]) && (
          <option value={String(v[key])}>#{String(v[key])}</option>
        )}
      </select>
    </label>
  );

  const colour = (key: 'textColor' | 'backgroundColor', label: keyof CampaignWords) => (
    <label class="field">
      <span>{w(label)}</span>
      <span class="with-unit">
        <input
          type="color"
          name={key}
          disabled={!editable}
          value={v[key]}
          onInput={(e) => set({ [key]: e.currentTarget.value })}
        />
        <code>{v[key]}</code>
      </span>
    </label>
  );

  const audioOptions = (audio.data ?? []).map((a) => ({ id: a.id, label: a.name }));
  const memberSet = new Set(v.memberIds);
  const allAgents = agents.data ?? [];

  return (
    <section class="screen campaign-detail" data-testid="campaign-detail">
      <h2>
        <a href="#/supervisor/campaigns">{w('back')}</a> ›{' '}
        {creating ? w('newId') : (loaded.data?.name ?? '')}
      </h2>
      <form class="resource-form campaign-form" onSubmit={(e) => void save(e)}>
        <span class="field-label">{w('id')}</span>
        <span data-testid="campaign-id">{creating ? w('newId') : displayIdOf(id)}</span>
        <label class="field">
          <span>{w('name')}</span>
          <input
            name="name"
            required
            maxLength={64}
            disabled={!editable}
            value={v.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
        </label>
        {onOff('enabled', 'status')}
        {idSelect(
          'phoneNumberId',
          'callerId',
          (numbers.data ?? []).map((n) => ({ id: n.id, label: n.label })),
        )}
        <span class="field-label">{w('prefix')}</span>
        <label class="field-control">
          <input
            type="checkbox"
            name="withholdCallerId"
            disabled={!editable}
            checked={v.withholdCallerId}
            onChange={(e) => set({ withholdCallerId: e.currentTarget.checked })}
          />
          {w('withhold')}
        </label>
        {radios('type', 'type', [
          { value: 'preview', label: 'type_preview' },
          { value: 'progressive', label: 'type_progressive' },
        ])}
        {onOff('predictive', 'predictive')}
        {radios('agentMode', 'agentMode', [
          { value: 'ringing', label: 'agentMode_ringing' },
          { value: 'login', label: 'agentMode_login' },
        ])}
        {numberField('serviceLevelPercent', 'serviceLevel', 'percent', { min: 1, max: 100 })}
        {numberField('dialRatio', 'dialRatio', null, { min: 1, max: 10, step: 0.1 })}
        {numberField('maxChannels', 'maxChannels', null, { min: 1, max: 1000 })}
        {numberField('dialTimeoutSeconds', 'dialTimeout', 'seconds', { min: 1, max: 600 })}
        {numberField('agentRingSeconds', 'agentRing', 'seconds', { min: 1, max: 600 })}
        {idSelect('holdAudioFileId', 'holdAudio', audioOptions)}
        {idSelect('abandonAudioFileId', 'abandonAudio', audioOptions)}
        {numberField('abandonTargetPercent', 'abandonTarget', 'percent', {
          min: 0,
          max: 100,
          step: 0.1,
        })}
        {numberField('predictiveMinAgents', 'predictiveMinAgents', null, { min: 1, max: 1000 })}
        {onOff('detectMachines', 'detectMachines')}
        {idSelect(
          'acwStatusId',
          'acwStatus',
          (statuses.data ?? []).map((s) => ({ id: s.id, label: s.name })),
          'off',
        )}
        {numberField('acwSeconds', 'acwTime', 'seconds', { min: 0, max: 86_400 })}
        {onOff('dtmfResults', 'dtmfResults')}
        {(['windowFrom', 'windowTo'] as const).map((key) => (
          <label class="field" key={key}>
            <span>{w(key)}</span>
            <input
              type="time"
              name={key}
              required
              disabled={!editable}
              value={v[key]}
              onInput={(e) => set({ [key]: e.currentTarget.value })}
            />
          </label>
        ))}
        {colour('textColor', 'textColor')}
        {colour('backgroundColor', 'backgroundColor')}
        <span class="field-label">{w('tagPreview')}</span>
        <span>
          <ColourTag
            name={v.name === '' ? w('campaign') : v.name}
            textColor={v.textColor}
            backgroundColor={v.backgroundColor}
          />
        </span>
        <label class="field">
          <span>{w('results')}</span>
          <textarea
            name="resultsText"
            rows={8}
            disabled={!editable}
            placeholder={w('resultsHint')}
            value={v.resultsText}
            onInput={(e) => set({ resultsText: e.currentTarget.value })}
          />
        </label>
        {issues.length > 0 && (
          <ul class="problem results-problems" role="alert" data-testid="results-problems">
            {issues.map((i) => (
              <li key={`${i.where}:${i.message}`} data-where={i.where}>
                {i.where}: {i.message}
              </li>
            ))}
          </ul>
        )}
        <h3>{w('members')}</h3>
        <table class="grid campaign-members" data-testid="campaign-members">
          <thead>
            <tr>
              <th />
              <th>{w('name')}</th>
              <th>{w('extension')}</th>
            </tr>
          </thead>
          <tbody>
            {allAgents.map((a) => (
              <tr key={a.id} data-id={a.id}>
                <td>
                  <input
                    type="checkbox"
                    name={`member.${a.id}`}
                    aria-label={a.name}
                    disabled={!editable}
                    checked={memberSet.has(a.id)}
                    onChange={(e) => {
                      const next = new Set(memberSet);
                      if (e.currentTarget.checked) next.add(a.id);
                      else next.delete(a.id);
                      set({ memberIds: [...next].sort((x, y) => x - y) });
                    }}
                  />
                </td>
                <td>{a.name}</td>
                <td>{a.extension ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {problem !== null && issues.length === 0 && (
          <p role="alert" class="problem" data-testid="problem">
            {problem}
          </p>
        )}
        {editable && (
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="save">
              {w('save')}
            </button>
            {!creating && can('campaigns.delete') && (
              <button
                type="button"
                class="danger"
                data-testid="delete"
                onClick={() => setDeleting(true)}
              >
                {w('delete')}
              </button>
            )}
          </div>
        )}
      </form>
      {deleting && (
        <div class="confirm card" role="alertdialog" data-testid="confirm">
          <p>{w('confirmDeleteCampaign')}</p>
          <button
            type="button"
            class="danger"
            data-testid="confirm-yes"
            onClick={() => void remove()}
          >
            {w('delete')}
          </button>
          <button type="button" onClick={() => setDeleting(false)}>
            {w('cancel')}
          </button>
        </div>
      )}
    </section>
  );
}
