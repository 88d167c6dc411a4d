import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure } from './api.ts';

function asFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  return new ApiFailure(0, 'client_error', error instanceof Error ? error.message : String(error));
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiFailure | undefined;
  loading: boolean;
  reload: () => void;
  /** Replaces the loaded value, e.g. with the row a write returned. */
  setData: (data: T) => void;
}

/**
 * Loads once per change of `deps`, and again on `reload()` (keeping the last value meanwhile); answers to
 * superseded loads are dropped.
 *
 * @example const docs = useLoad(() => adminApi.documents.list(showRetired), [showRetired]);
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiFailure>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadedGeneration = useRef(generation);

  useEffect(() => {
    let current = true;
    setLoading(true);
    // New deps ask for different data: drop the old so it is not shown as the answer. A reload keeps it.
    if (loadedGeneration.current === generation) {
      setData(undefined);
      setError(undefined);
    }
    loadedGeneration.current = generation;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(asFailure(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // The caller's deps decide when to load again; `load` is a new closure on every render.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload, setData };
}

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  error: ApiFailure | undefined;
  clearError: () => void;
}

/** A write the user starts: tracks whether it is running and its failure; `run` resolves to undefined on failure. */
export function useAction<A extends unknown[], R>(perform: (...args: A) => Promise<R>): Action<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure>();
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await perform(...args);
    } catch (failure) {
      setError(asFailure(failure));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clearError: () => setError(undefined) };
}
