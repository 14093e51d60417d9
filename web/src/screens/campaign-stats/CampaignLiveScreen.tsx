/**
 * SV › キャンペーン状況: the running campaigns live, beside the realtime group table (§10-1),
 * from the `campaigns` topic — per campaign its mode, lines dialling, customers waiting for an
 * agent, customers connected, agents free / taking part, entries due, and the abandon rate over
 * 24 hours and 30 days against its target (in the warning colour when over); below, the recent
 * calls with their number, stage or outcome, and agent.
 */
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useAgents, type AgentRow } from '../supervisor/agent-names';
import type { CampaignAttempt, CampaignLive } from '../../feed/campaigns';
import { campaignStatsWords, known, type CampaignStatsTranslate } from './words';
import './campaign-stats.css';

const rate = (percent: number) => `${percent.toFixed(2)}%`;

function Figure(props: { name: string; label: string; value: string | number }) {
  return (
    <div class="figure" data-figure={props.name}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

function AbandonRate(props: { name: string; label: string; value: number; target: number }) {
  const over = props.value > props.target;
  // The bar is full at twice the target, so the target sits in the middle.
  const width = Math.min(100, (props.value / Math.max(props.target * 2, 0.01)) * 100);
  return (
    <div class={over ? 'abandon-rate over' : 'abandon-rate'} data-rate={props.name}>
      <span class="period">{props.label}</span>
      <span class="gauge" aria-hidden="true">
        <span class="fill" style={{ width: `${String(width)}%` }} />
        <span class="target" />
      </span>
      <span class="value">{rate(props.value)}</span>
    </div>
  );
}

function idleText(live: CampaignLive, w: CampaignStatsTranslate): string {
  if (live.running) return w('running');
  const key = `idle_${live.idleReason ?? ''}`;
  return known(key) ? w(key) : `${w('idle')} (${live.idleReason ?? '-'})`;
}

function CampaignCard(props: { live: CampaignLive; w: CampaignStatsTranslate }) {
  const { live, w } = props;
  const { rate24h, rate30d, targetPercent } = live.abandon;
  const over = rate24h > targetPercent || rate30d > targetPercent;
  return (
    <article
      class={`card campaign-live${over ? ' over-target' : ''}`}
      data-testid="campaign-live-card"
      data-campaign={String(live.campaignId)}
    >
      <header>
        <h3>{live.name}</h3>
        <span class="tag mode" data-mode={live.mode}>
          {w(`mode_${live.mode}`)}
        </span>
        <span class={live.running ? 'state running' : 'state idle'} data-col="state">
          {idleText(live, w)}
        </span>
      </header>
      <dl class="figures">
        <Figure name="dialing" label={w('dialing')} value={live.dialing} />
        <Figure name="waiting" label={w('waitingCustomers')} value={live.waiting} />
        <Figure name="connected" label={w('connected')} value={live.connected} />
        <Figure
          name="agents"
          label={w('agents')}
          value={w('agentsFree', { free: live.freeAgents, total: live.agents })}
        />
        <Figure name="due" label={w('due')} value={live.due} />
      </dl>
      <section class="abandon" data-over={String(over)}>
        <h4>
          {w('abandonRate')}
          <span class="target-text">{w('abandonTarget', { target: targetPercent })}</span>
          {over && <span class="over-badge">{w('overTarget')}</span>}
        </h4>
        <AbandonRate name="24h" label={w('abandon24h')} value={rate24h} target={targetPercent} />
        <AbandonRate name="30d" label={w('abandon30d')} value={rate30d} target={targetPercent} />
      </section>
    </article>
  );
}

function stateOf(a: CampaignAttempt, w: CampaignStatsTranslate): string {
  if (a.stage === 'ended' && a.outcome !== undefined) {
    const key = `outcome_${a.outcome}`;
    return known(key) ? w(key) : a.outcome;
  }
  return w(`stage_${a.stage}`);
}

function agentText(agentId: number | null, agents: Map<number, AgentRow>): string {
  if (agentId === null) return '';
  const agent = agents.get(agentId);
  if (agent === undefined) return `#${String(agentId)}`;
  // As the reports write an agent: (内線)ニックネーム.
  return agent.extension === null ? agent.nickname : `(${agent.extension})${agent.nickname}`;
}

function RecentAttempts(props: {
  attempts: CampaignAttempt[];
  live: Map<number, CampaignLive>;
  w: CampaignStatsTranslate;
  language: 'ja' | 'en';
}) {
  const { attempts, live, w } = props;
  const agents = useAgents();
  const time = new Intl.DateTimeFormat(props.language === 'ja' ? 'ja-JP' : 'en-GB', {
    timeStyle: 'medium',
  });
  if (attempts.length === 0) return <p class="notice">{w('noAttempts')}</p>;
  return (
    <table class="grid campaign-attempts" data-testid="campaign-attempts">
      <thead>
        <tr>
          <th>{w('time')}</th>
          <th>{w('campaign')}</th>
          <th>{w('phone')}</th>
          <th>{w('state')}</th>
          <th>{w('agent')}</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr
            key={a.attemptId}
            data-attempt={String(a.attemptId)}
            data-stage={a.stage}
            class={a.outcome === 'abandoned' ? 'abandoned' : undefined}
          >
            <td data-col="time">{time.format(a.at)}</td>
            <td data-col="campaign">
              {live.get(a.campaignId)?.name ?? `#${String(a.campaignId)}`}
            </td>
            <td data-col="phone">
              {a.phone}
              {a.customerName !== undefined && a.customerName !== '' && (
                <span class="customer"> {a.customerName}</span>
              )}
            </td>
            <td data-col="state">{stateOf(a, w)}</td>
            <td data-col="agent">{agentText(a.agentId, agents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CampaignLiveScreen() {
  const { language, t } = useWords();
  const w = campaignStatsWords(language);
  const { state, readiness } = useTopic('campaigns');
  const cards = [...state.live.values()].sort((a, b) => a.campaignId - b.campaignId);
  return (
    <section class="screen campaign-live-screen" data-readiness={readiness}>
      <h2>{t('campaignLive')}</h2>
      {readiness === 'refused' ? (
        <p class="problem">{w('liveRefused')}</p>
      ) : readiness === 'waiting' ? (
        <p class="notice">{w('liveWaiting')}</p>
      ) : cards.length === 0 ? (
        <p class="notice" data-testid="campaign-live-none">
          {w('liveNone')}
        </p>
      ) : (
        <div class="campaign-cards">
          {cards.map((live) => (
            <CampaignCard key={live.campaignId} live={live} w={w} />
          ))}
        </div>
      )}
      <h3>{w('recentAttempts')}</h3>
      <RecentAttempts attempts={state.attempts} live={state.live} w={w} language={language} />
    </section>
  );
}
