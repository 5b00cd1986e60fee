/**
 * A shutdown that runs once: SIGINT then SIGTERM (Ctrl+C, then the service
 * manager), or a signal during the stop that an unhandled rejection started,
 * must not close the pools twice or stop the embedded database while the
 * first stop is still releasing it. Every later call gets the first call's
 * promise.
 */
export type Shutdown = (reason: string, exitCode?: number) => Promise<void>;

export function runOnce(stop: (reason: string, exitCode: number) => Promise<void>, onRepeat?: (reason: string) => void): Shutdown {
  let running: Promise<void> | undefined;
  return (reason, exitCode = 0) => {
    if (running) {
      onRepeat?.(reason);
      return running;
    }
    running = stop(reason, exitCode);
    return running;
  };
}
