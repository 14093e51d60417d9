/**
 * Loops between the places that send calls on (an IVR's rules, keys and default; a group's
 * overflow and timeout): a save that would close one is refused, naming it (IVR 休日 → IVR 受付 →
 * IVR 休日). Pure: the graph is a function from a node to the nodes it sends calls to.
 */

/**
 * The first loop reachable from `start`, as the path from its first node back to it (that node at
 * both ends), or null when calls from `start` always leave the graph. `id` tells nodes apart.
 */
export function loopFrom<N>(
  start: N,
  next: (node: N) => readonly N[],
  id: (node: N) => string,
): N[] | null {
  const done = new Set<string>();
  const path: N[] = [];
  const onPath = new Map<string, number>();

  function visit(node: N): N[] | null {
    const key = id(node);
    const at = onPath.get(key);
    if (at !== undefined) return [...path.slice(at), node];
    if (done.has(key)) return null;
    onPath.set(key, path.length);
    path.push(node);
    for (const following of next(node)) {
      const loop = visit(following);
      if (loop !== null) return loop;
    }
    path.pop();
    onPath.delete(key);
    done.add(key);
    return null;
  }

  return visit(start);
}

/** A node reached on the way out of the start, and how. */
interface Step<N> {
  node: N;
  /** Whether the way here has passed a node the search wants. */
  passed: boolean;
  from: Step<N> | null;
}

function pathTo<N>(step: Step<N>): N[] {
  const path: N[] = [];
  for (let at: Step<N> | null = step; at !== null; at = at.from) path.push(at.node);
  return path.reverse();
}

/**
 * The shortest loop through `start` that passes a node `via` accepts (any node, by default), as
 * the path from `start` back to it, or null when there is none. Unlike loopFrom, a loop further
 * on that calls from `start` merely run into (one that was there before) is not this one's: a
 * save is refused only for a loop it closes. `via` picks out the loops that matter to a caller,
 * e.g. those through an IVR.
 */
export function loopThrough<N>(
  start: N,
  next: (node: N) => readonly N[],
  id: (node: N) => string,
  via: (node: N) => boolean = () => true,
): N[] | null {
  const startId = id(start);
  const key = (node: N, passed: boolean) => `${passed ? '+' : '-'}${id(node)}`;
  const first: Step<N> = { node: start, passed: via(start), from: null };
  const reached = new Set([key(start, first.passed)]);
  let frontier = [first];
  // Breadth first, over (node, passed): the first way back to the start is a shortest one.
  while (frontier.length > 0) {
    const following: Step<N>[] = [];
    for (const step of frontier) {
      for (const node of next(step.node)) {
        const passed = step.passed || via(node);
        if (id(node) === startId) {
          if (passed) return [...pathTo(step), start];
          // Back at the start without the node wanted: what follows is tried from the start.
          continue;
        }
        const seen = key(node, passed);
        if (reached.has(seen)) continue;
        reached.add(seen);
        following.push({ node, passed, from: step });
      }
    }
    frontier = following;
  }
  return null;
}
