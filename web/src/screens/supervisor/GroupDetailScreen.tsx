/**
 * SV › リアルタイム › a group (§10-1 group detail, reached by the group table's link): the answer
 * rate every 5 minutes over 3–24 hours, the agents by status, the calls waiting with their wait,
 * and the agents — status with its duration, a status change, the skill level, the last call and
 * today's calls — with monitor / whisper / barge on an agent's call and the sessions in progress.
 *
 * Nothing polls. The detail (GET /stats/realtime/groups/{id}) is read on opening and on a change
 * of hours; the chart's current bucket grows with the `groups` topic (answer-rate-chart.ts). The
 * feed carries the number of calls waiting but not the calls, so the waiting list is read again
 * (GET /groups/{id}/waiting-calls) when that number or the agents ringing change, and its waits
 * tick in the page. Statuses come from the `agents` topic, calls from `calls`, sessions from
 * `monitoring`. The per-agent call figures (last call, calls today) are as of the last read.
 */
import type { Chart } from 'chart.js';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import type { Answer } from '../../api/client';
import type { MonitoringSession } from '../../feed/topics';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import type { ScreenProps } from '../../app/screens';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { clockText, secondsSince, useNow } from '../../ui/time';
import { useToast } from '../../ui/toast';
import { useCustomStatuses } from '../desk/custom-statuses';
import { StatusLabel } from '../desk/status-label';
import {
  BUCKET_MS,
  CHART_HOURS,
  advance,
  roll,
  totals,
  type Bucket,
  type Counters,
} from './answer-buckets';
import { drawAnswerRate, redraw, type ChartLabels } from './answer-rate-chart';
import { slicesOf, StatusPie } from './status-pie';
import { StatusMenu } from './status-menu';
import { groupWords, type GroupWord } from './words';
import './group-detail.css';

type Detail = Answer<'/api/v1/stats/realtime/groups/{id}', 'get'>;
type Member = Detail['agents'][number];
type Hours = (typeof CHART_HOURS)[number];
type Mode = 'listen' | 'whisper' | 'barge';
type Say = (key: GroupWord, fill?: Record<string, string | number>) => string;

const MODES: { mode: Mode; needs: string[] }[] = [
  { mode: 'listen', needs: ['call_features.monitor'] },
  { mode: 'whisper', needs: ['call_features.whisper'] },
  { mode: 'barge', needs: ['call_features.monitor', 'call_features.whisper'] },
];

const countersOf = (c: Counters): Counters => ({
  calls: c.calls,
  answered: c.answered,
  abandoned: c.abandoned,
});

/** `HH:MM:SS` of the last call's talk time, `--:--:--` without one (§10-1 直近の通話). */
function talkText(seconds: number | null): string {
  if (seconds === null) return '--:--:--';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
}

interface LiveChart {
  buckets: Bucket[];
  /** The group's counters the buckets include. */
  seen: Counters;
  /** The midnight those counters count from. */
  since: string;
}

/** The chart's buckets: the detail's, then grown by the `groups` topic and moved on by time. */
function useLiveChart(
  detail: Detail | undefined,
  row: (Counters & { since: string }) | undefined,
  readAgain: () => void,
): Bucket[] {
  const [live, setLive] = useState<LiveChart | null>(null);
  useEffect(() => {
    if (detail !== undefined)
      setLive({ buckets: detail.chart, seen: countersOf(detail.stats), since: detail.stats.since });
  }, [detail]);
  useEffect(() => {
    if (row === undefined || live === null) return;
    // The day's counters restarted (midnight): the chart is read again.
    if (Date.parse(row.since) > Date.parse(live.since)) return readAgain();
    if (row.since !== live.since) return;
    const grown = advance(live.buckets, live.seen, countersOf(row), Date.now());
    // Lower than what the chart holds: a push older than the detail; the next one catches up.
    if (grown !== null) setLive({ ...live, buckets: grown, seen: countersOf(row) });
  }, [row]);
  useEffect(() => {
    if (live === null) return;
    const wait = BUCKET_MS - (Date.now() % BUCKET_MS) + 50;
    const timer = window.setTimeout(() => {
      setLive((l) => (l === null ? l : { ...l, buckets: roll(l.buckets, Date.now()) }));
    }, wait);
    return () => window.clearTimeout(timer);
  }, [live]);
  return live?.buckets ?? [];
}

function AnswerRateChart(props: { buckets: Bucket[]; hours: Hours; say: Say }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [drawn, setDrawn] = useState(false);
  const labels = (say: Say): ChartLabels => ({
    answered: say('answered'),
    abandoned: say('abandoned'),
    answerRate: say('answerRate'),
  });

  useEffect(() => {
    let gone = false;
    void drawAnswerRate(canvas.current as HTMLCanvasElement, [], labels(props.say)).then((c) => {
      if (gone) return c.destroy();
      chart.current = c;
      redraw(c, latest.current.buckets, labels(latest.current.say));
      setDrawn(true);
    });
    return () => {
      gone = true;
      chart.current?.destroy();
    };
  }, []);
  useEffect(() => {
    if (chart.current !== null) redraw(chart.current, props.buckets, labels(props.say));
  }, [props.buckets, props.say]);

  const sum = totals(props.buckets);
  return (
    <figure
      class="answer-rate"
      data-testid="answer-rate-chart"
      data-drawn={drawn && props.buckets.length > 0 ? 'true' : 'false'}
      data-hours={props.hours}
      data-buckets={props.buckets.length}
      data-calls={sum.calls}
      data-answered={sum.answered}
    >
      <div class="chart-canvas">
        <canvas ref={canvas} />
      </div>
      <figcaption class="notice">{props.say('chartTotals', { ...sum })}</figcaption>
    </figure>
  );
}

function WaitingCalls(props: { groupId: number; changes: string; say: Say }) {
  const { api } = useSession();
  const now = useNow();
  const { data } = useLoad(async () => {
    const { items } = await api.call('get', '/api/v1/groups/{id}/waiting-calls', {
      path: { id: props.groupId },
    });
    return { items, at: Date.now() };
  }, [api, props.groupId, props.changes]);
  const { say } = props;
  if (data === undefined) return null;
  if (data.items.length === 0)
    return (
      <p class="notice" data-testid="waiting-calls">
        {say('noWaitingCalls')}
      </p>
    );
  return (
    <table class="grid" data-testid="waiting-calls">
      <thead>
        <tr>
          <th>{say('position')}</th>
          <th>{say('caller')}</th>
          <th>{say('waited')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {data.items.map((w) => (
          <tr key={w.callId} data-call={w.callId}>
            <td data-col="position">{w.position}</td>
            <td class="caller">
              {w.from.number} {w.from.name}
            </td>
            <td data-col="waited">{clockText(w.waitedSeconds + (now - data.at) / 1000)}</td>
            <td>
              {w.consultation
                ? say('consultation')
                : w.ringingAgentIds.length > 0
                  ? say('ringing')
                  : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SkillEdit(props: {
  groupId: number;
  member: Member;
  onSaved: (level: number) => void;
  say: Say;
}) {
  const { api, can } = useSession();
  const { t } = useWords();
  const toast = useToast();
  const [level, setLevel] = useState(String(props.member.skillLevel));
  useEffect(() => setLevel(String(props.member.skillLevel)), [props.member.skillLevel]);
  if (!can('realtime.skill_level')) return <>{props.member.skillLevel}</>;
  const agentId = props.member.agentId;

  async function save(e: Event) {
    e.preventDefault();
    try {
      const saved = await api.call('put', '/api/v1/groups/{id}/members/{agentId}', {
        path: { id: props.groupId, agentId },
        body: { skillLevel: Number(level) },
      });
      props.onSaved(saved.skillLevel);
      toast.done(t('saved'));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <form class="skill" onSubmit={(e) => void save(e)}>
      <input
        type="number"
        name={`skill-${agentId}`}
        aria-label={props.say('skillLevel')}
        min={1}
        max={99}
        required
        value={level}
        onInput={(e) => setLevel(e.currentTarget.value)}
      />
      <button type="submit" data-testid={`save-skill-${agentId}`}>
        {props.say('save')}
      </button>
    </form>
  );
}

function Sessions(props: {
  sessions: MonitoringSession[];
  nameOf: (id: number) => string;
  say: Say;
}) {
  const { api, me, can } = useSession();
  const toast = useToast();
  const { say } = props;
  if (props.sessions.length === 0) return null;

  async function stop(id: string) {
    try {
      await api.call('delete', '/api/v1/monitoring-sessions/{id}', { path: { id } });
      toast.done(say('stopped'));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="sessions" data-testid="monitoring-sessions">
      <h3>{say('sessions')}</h3>
      <ul>
        {props.sessions.map((s) => (
          <li key={s.id} data-session={s.id} data-status={s.status} data-mode={s.mode}>
            <span class="what">
              {say('sessionOf', { agent: props.nameOf(s.agentId), mode: say(s.mode) })}
            </span>{' '}
            <span class="notice">
              {say(s.status === 'active' ? 'session_active' : 'session_ringing')}
              {s.supervisorAgentId !== me.id && ` (${props.nameOf(s.supervisorAgentId ?? 0)})`}
            </span>{' '}
            {(s.supervisorAgentId === me.id || can('calls.control')) && (
              <button
                type="button"
                class="danger"
                data-testid={`stop-${s.id}`}
                onClick={() => void stop(s.id)}
              >
                {say('stop')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function GroupDetailScreen({ params }: ScreenProps) {
  const groupId = Number(params.id);
  const { t, language } = useWords();
  const say = useMemo(() => groupWords(language), [language]);
  const { api, can } = useSession();
  const toast = useToast();
  const now = useNow();
  const custom = useCustomStatuses();
  const [hours, setHours] = useState<Hours>(3);
  const [round, setRound] = useState(0);
  const { data, error } = useLoad(
    () =>
      api.call('get', '/api/v1/stats/realtime/groups/{id}', {
        path: { id: groupId },
        query: { hours: String(hours) },
      }),
    [api, groupId, hours, round],
  );
  const groups = useTopic('groups').state;
  const agents = useTopic('agents').state;
  const calls = useTopic('calls').state;
  const monitoring = useTopic('monitoring').state;
  const row = groups.groups.find((g) => g.groupId === groupId);
  const buckets = useLiveChart(data, row, () => setRound((r) => r + 1));
  const [skills, setSkills] = useState(new Map<number, number>());
  useEffect(() => setSkills(new Map()), [data]);

  const members = (data?.agents ?? []).map((m) => ({
    ...m,
    skillLevel: skills.get(m.agentId) ?? m.skillLevel,
  }));
  const memberIds = new Set(members.map((m) => m.agentId));
  const nameOf = (id: number) => members.find((m) => m.agentId === id)?.name ?? `#${id}`;
  const slices = useMemo(
    () =>
      slicesOf(
        members.map((m) => agents.agents.get(m.agentId)),
        custom,
        t,
      ),
    [data, agents, custom, t],
  );
  const sessions = monitoring.sessions.filter((s) => memberIds.has(s.agentId));
  const callOf = (agentId: number) =>
    [...calls.calls.values()].find((c) => c.state === 'up' && c.agentIds.includes(agentId));
  const modes = MODES.filter((m) => m.needs.every(can));

  async function supervise(callId: string, agentId: number, mode: Mode) {
    try {
      await api.call('post', '/api/v1/calls/{id}/monitor', {
        path: { id: callId },
        body: { mode, agentId },
      });
      toast.done(say('requested'));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  if (error !== undefined)
    return (
      <section class="screen group-detail">
        <p class="problem">{problemOf(error)}</p>
        <a href="#/supervisor/realtime">{say('back')}</a>
      </section>
    );

  return (
    <section class="screen group-detail" data-testid="group-detail">
      <div class="toolbar">
        <h2>
          {row?.extension ?? data?.stats.extension ?? ''} {row?.name ?? data?.stats.name ?? ''}
        </h2>
        <a href="#/supervisor/realtime">{say('back')}</a>
      </div>

      <div class="charts">
        <section class="chart">
          <div class="toolbar">
            <h3>{say('chartTitle')}</h3>
            <label>
              {say('hours')}{' '}
              <select
                name="hours"
                value={hours}
                onChange={(e) => setHours(Number(e.currentTarget.value) as Hours)}
              >
                {CHART_HOURS.map((h) => (
                  <option key={h} value={h}>
                    {say('hoursOption', { hours: h })}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <AnswerRateChart buckets={buckets} hours={hours} say={say} />
        </section>
        <StatusPie slices={slices} title={say('statusPie')} empty={say('noAgents')} />
      </div>

      <h3>{say('waitingCalls')}</h3>
      <WaitingCalls
        groupId={groupId}
        changes={`${row?.waiting ?? 0}/${row?.onCall ?? 0}`}
        say={say}
      />

      <Sessions sessions={sessions} nameOf={nameOf} say={say} />

      <h3>{say('agentList')}</h3>
      <table class="grid" data-testid="group-agents">
        <thead>
          <tr>
            <th>{say('status')}</th>
            <th>{say('name')}</th>
            <th>{say('extension')}</th>
            <th>{say('skillLevel')}</th>
            <th>{say('lastCall')}</th>
            <th>{say('callsToday')}</th>
            {modes.length > 0 && <th>{say('supervise')}</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const status = agents.agents.get(m.agentId);
            const call = callOf(m.agentId);
            return (
              <tr key={m.agentId} data-agent={m.agentId}>
                <td class="status-cell">
                  <StatusLabel status={status} custom={custom} />{' '}
                  {status !== undefined && (
                    <span class="duration" data-col="since">
                      {clockText(secondsSince(status.since, now))}
                    </span>
                  )}{' '}
                  <StatusMenu agentId={m.agentId} custom={custom} />
                </td>
                <td>{m.name}</td>
                <td>{m.extension ?? ''}</td>
                <td data-col="skill">
                  <SkillEdit
                    groupId={groupId}
                    member={m}
                    say={say}
                    onSaved={(level) => setSkills((s) => new Map(s).set(m.agentId, level))}
                  />
                </td>
                <td data-col="lastCall">{talkText(m.lastTalkSeconds)}</td>
                <td data-col="callsToday">{m.callsToday}</td>
                {modes.length > 0 && (
                  <td class="supervise">
                    {call !== undefined &&
                      modes.map(({ mode }) => (
                        <button
                          key={mode}
                          type="button"
                          data-testid={`${mode}-${m.agentId}`}
                          onClick={() => void supervise(call.id, m.agentId, mode)}
                        >
                          {say(mode)}
                        </button>
                      ))}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
