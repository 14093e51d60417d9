/**
 * The status-change load of scripts/bench-feed.ts, in a process of its own (forked by the
 * benchmark) so that making the requests is not counted as the server's CPU.
 *
 * `PUT /api/v1/agents/{id}/status` at a steady rate for a fixed time, the agents in turn, each
 * flipping between paused (停止) and paused with a custom status, so that every request changes
 * the agent's status and so publishes exactly one `agent_status_changed` on the `agents` topic.
 * Runs may follow one another (a warm-up, then the measured run) in the same process.
 * Requests are started on a fixed schedule (not one after the other), and each one's start is
 * recorded on the monotonic clock (monotonicMs), for the request → client latency.
 */
import { monotonicMs } from './bench-support.js';

export interface DriverCommand {
  type: 'run';
  baseUrl: string;
  token: string;
  agentIds: number[];
  customStatusId: number;
  perSecond: number;
  durationMs: number;
}

export type DriverReply =
  | {
      type: 'done';
      /** Each request, in the order sent: the agent and when it was sent (monotonicMs). */
      sent: { agentId: number; at: number }[];
      failures: string[];
    }
  | { type: 'failed'; message: string };

function reply(message: DriverReply): void {
  process.send?.(message);
}

/** Whether each agent is in the custom status now, across runs (a warm-up, then the phase). */
const away = new Map<number, boolean>();

async function run(command: DriverCommand): Promise<void> {
  const total = Math.round((command.perSecond * command.durationMs) / 1000);
  const sent: { agentId: number; at: number }[] = [];
  const failures: string[] = [];
  const pending: Promise<void>[] = [];
  const start = monotonicMs();
  for (let k = 0; k < total; k++) {
    const wait = start + (k * 1000) / command.perSecond - monotonicMs();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const agentId = command.agentIds[k % command.agentIds.length] ?? 0;
    const toAway = !(away.get(agentId) ?? false);
    away.set(agentId, toAway);
    sent.push({ agentId, at: monotonicMs() });
    pending.push(
      fetch(`${command.baseUrl}/api/v1/agents/${agentId}/status`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${command.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          status: 'paused',
          customStatusId: toAway ? command.customStatusId : null,
        }),
      }).then(async (res) => {
        const body = await res.text();
        if (res.status !== 200) failures.push(`${res.status} ${body.slice(0, 200)}`);
      }),
    );
  }
  await Promise.all(pending);
  reply({ type: 'done', sent, failures });
}

process.on('message', (command: DriverCommand) => {
  run(command).catch((err: unknown) => reply({ type: 'failed', message: String(err) }));
});
process.on('disconnect', () => process.exit(0));
