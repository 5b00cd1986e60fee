/**
 * The server's background rounds (orphan files, retention, renewal reminders):
 * one round now or after a delay, then one every interval, until stopped.
 *
 * `stop()` waits for the round in progress: the server ends its database pool
 * right after, and a round still running would then fail on « Cannot use a
 * pool after calling end on the pool » (and log an error at every shutdown).
 * A round never overlaps the previous one: the next is planned when it ends.
 * A failed round is logged by `onError` and the next one runs as planned.
 */
export interface PeriodicJob {
  /** No new round starts; resolves once the round in progress, if any, is over. */
  stop: () => Promise<void>;
}

export function startPeriodicJob(options: {
  intervalMs: number;
  firstDelayMs?: number;
  round: () => Promise<void>;
  onError: (error: unknown) => void;
}): PeriodicJob {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = options
        .round()
        .catch(options.onError)
        .finally(() => {
          if (!stopped) schedule(options.intervalMs);
        });
    }, delayMs);
    // A planned round never keeps the process alive on its own.
    timer.unref();
  };
  schedule(options.firstDelayMs ?? 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
