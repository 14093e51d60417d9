/** A REST read for a screen: loads on mount and when its inputs change, with a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, inputs: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && (setData(value), setError(undefined)),
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [...inputs, round]);
  return { data, error, reload: useCallback(() => setRound((r) => r + 1), []) };
}
