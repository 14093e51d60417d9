/** A screen's view of a realtime topic: watched while the screen is shown, released after. */
import type { ReadonlySignal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext, useEffect, useMemo } from 'preact/hooks';
import type { Feed, TopicReadiness } from './feed';
import type { TopicName, TopicStates } from './topics';

export const FeedContext = createContext<Feed | null>(null);

export function useFeed(): Feed {
  const feed = useContext(FeedContext);
  if (feed === null) throw new Error('useFeed outside a session');
  return feed;
}

/** The topic's current state (re-rendering on every change) and whether it is the server's. */
export function useTopic<T extends TopicName>(
  name: T,
): { state: TopicStates[T]; readiness: TopicReadiness } {
  const feed = useFeed();
  const watched = useMemo(() => feed.watch(name), [feed, name]);
  useEffect(() => watched.release, [watched]);
  return { state: watched.state.value, readiness: watched.readiness.value };
}

export type { ReadonlySignal };
