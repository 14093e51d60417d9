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
