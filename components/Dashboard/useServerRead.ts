import { useSignal, type Signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `deps` change (and on reload()), keeping the last data on screen while the next loads;
 * an answer to a request that was overtaken by a newer one is dropped.
 */
export function useServerRead<T>(load: () => Promise<T>, deps: unknown[]): { state: Signal<Loaded<T>>; reload: () => void } {
  const state = useSignal<Loaded<T>>({ data: null, error: null, loading: true });
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  function run(): void {
    const ticket = ++latest.current;
    state.value = { ...state.value, loading: true, error: null };
    loader.current().then(
      (data) => {
        if (ticket === latest.current) state.value = { data, error: null, loading: false };
      },
      (error: unknown) => {
        if (ticket === latest.current) state.value = { data: state.value.data, error: error instanceof Error ? error.message : String(error), loading: false };
      },
    );
  }

  useEffect(run, deps);
  return { state, reload: run };
}
