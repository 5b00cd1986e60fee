/**
 * What the benchmark started, stopped in reverse order exactly once: at the
 * end, on an error, or on Ctrl+C / SIGTERM. A stop that fails or hangs must
 * not keep the others from running.
 */
type Stop = () => Promise<void>;

const stops: { name: string; stop: Stop }[] = [];
let running: Promise<void> | undefined;

/** Registers something to stop; the last registered is stopped first. */
export function onCleanup(name: string, stop: Stop): void {
  stops.push({ name, stop });
}

async function withTimeout(name: string, stop: Stop, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`  arrêt de ${name} : toujours en cours après ${ms / 1000} s, abandonné`);
      resolve();
    }, ms);
  });
  try {
    await Promise.race([stop(), timeout]);
  } catch (error) {
    console.error(`  arrêt de ${name} : ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

export function cleanUp(): Promise<void> {
  running ??= (async () => {
    while (stops.length > 0) {
      const { name, stop } = stops.pop()!;
      await withTimeout(name, stop, 30_000);
    }
  })();
  return running;
}

/** Ctrl+C and SIGTERM stop everything before the process ends. */
export function cleanUpOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal} reçu : arrêt du portail, des serveurs de référence et de PostgreSQL…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
}
