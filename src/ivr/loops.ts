/**
 * Loops through IVRs (§11-3: "avoid loops when pointing buttons at IVRs"), refused at save: a
 * change to an IVR or a group that would let a call come back round to it through an IVR is
 * 422 `route_loop`, naming the cycle (IVR 休日 → IVR 受付 → IVR 休日). The graph's nodes are the
 * IVRs and the groups: an IVR sends calls to the IVRs and groups its default, its rules and its
 * keys name (whether its schedule and buttons are on or off: switching them on must not close a
 * loop either); a group to those its overflow and timeout name. Loops of groups alone are the
 * groups' own business (groups-service refuses a group sending calls to itself).
 *
 * Read from the tables directly, so that the IVRs, the groups and (as they come) other places
 * that send calls on can ask before they save, each passing its node as it would be saved.
 */
import { destinationOf, type Destination } from '../destinations/destination.js';
import { loopThrough } from '../destinations/loops.js';
import type { DbOrTx } from '../platform/db/client.js';
import { unprocessable } from '../platform/http/errors.js';
import { groups } from '../queues/schema.js';
import { ivrKeys, ivrRules, ivrs } from './schema.js';

export type LoopNodeKind = 'ivr' | 'group';

/** A node of a refused loop, as its `details` list it. */
export interface LoopStep {
  kind: LoopNodeKind;
  id: number;
  name: string;
}

/** An IVR or a group as it would be after a save: where it would send calls. */
export interface RoutingChange extends LoopStep {
  routes: readonly (Destination | null | undefined)[];
}

const keyOf = (node: { kind: LoopNodeKind; id: number }) => `${node.kind}:${node.id}`;

/** The IVR or group a destination sends calls to, if it is one. */
function nodeOf(destination: Destination | null | undefined): string[] {
  if (destination?.type === 'ivr') return [keyOf({ kind: 'ivr', id: destination.ivrId })];
  if (destination?.type === 'group') return [keyOf({ kind: 'group', id: destination.groupId })];
  return [];
}

interface Graph {
  steps: Map<string, LoopStep>;
  next: Map<string, string[]>;
}

function graphOf(db: DbOrTx): Graph {
  const steps = new Map<string, LoopStep>();
  const next = new Map<string, string[]>();
  const add = (key: string, destination: Destination | null) => {
    const targets = nodeOf(destination);
    if (targets.length === 0) return;
    const list = next.get(key);
    if (list === undefined) next.set(key, targets);
    else list.push(...targets);
  };
  for (const ivr of db.select().from(ivrs).all()) {
    const key = keyOf({ kind: 'ivr', id: ivr.id });
    steps.set(key, { kind: 'ivr', id: ivr.id, name: ivr.name });
    add(key, destinationOf({ type: ivr.defaultRouteType, target: ivr.defaultRouteTarget }));
  }
  const ivrRoutes = [
    ...db
      .select({ ivrId: ivrRules.ivrId, type: ivrRules.routeType, target: ivrRules.routeTarget })
      .from(ivrRules)
      .all(),
    ...db
      .select({ ivrId: ivrKeys.ivrId, type: ivrKeys.routeType, target: ivrKeys.routeTarget })
      .from(ivrKeys)
      .all(),
  ];
  for (const route of ivrRoutes) add(keyOf({ kind: 'ivr', id: route.ivrId }), destinationOf(route));
  for (const group of db.select().from(groups).all()) {
    const key = keyOf({ kind: 'group', id: group.id });
    steps.set(key, { kind: 'group', id: group.id, name: group.name });
    add(key, destinationOf({ type: group.overflowRouteType, target: group.overflowRouteTarget }));
    add(key, destinationOf({ type: group.timeoutRouteType, target: group.timeoutRouteTarget }));
  }
  return { steps, next };
}

/**
 * The shortest loop through an IVR that `change` would close, from the changed node back to it,
 * or null. The changed node is taken as it would be saved (its new name and routes).
 */
export function ivrLoopThrough(db: DbOrTx, change: RoutingChange): LoopStep[] | null {
  const { steps, next } = graphOf(db);
  const start = keyOf(change);
  steps.set(start, { kind: change.kind, id: change.id, name: change.name });
  next.set(start, change.routes.flatMap(nodeOf));
  const loop = loopThrough(
    start,
    (key) => next.get(key) ?? [],
    (key) => key,
    (key) => key.startsWith('ivr:'),
  );
  // Every node on a loop sends calls on, so it is a row (or the change) and has its name.
  return loop === null ? null : loop.flatMap((key) => steps.get(key) ?? []);
}

/** How a loop reads in a message: IVR 休日 → group サポート → IVR 休日. */
export const describeLoop = (loop: readonly LoopStep[]): string =>
  loop.map((step) => `${step.kind === 'ivr' ? 'IVR' : 'group'} ${step.name}`).join(' → ');

/** Refuses (422 `route_loop`, the cycle in `details`) a change that would close a loop. */
export function assertNoIvrLoop(db: DbOrTx, change: RoutingChange): void {
  const loop = ivrLoopThrough(db, change);
  if (loop !== null)
    throw unprocessable('route_loop', `Calls would go round: ${describeLoop(loop)}`, loop);
}
