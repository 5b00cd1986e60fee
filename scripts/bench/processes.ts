/**
 * The servers under test, each in its own process group: stopping the group
 * stops `npm start` together with the shell and the node it launched, and a
 * Ctrl+C in the terminal reaches only the benchmark, which then stops them in
 * order (see cleanup.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
  ) {
    const log = openSync(options.logFile, "a");
    this.child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", log, log], detached: true });
    closeSync(log);
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Whether any process of the group is still alive (npm may end before its child). */
  private groupAlive(): boolean {
    try {
      process.kill(-this.child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM to the whole group, SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.pid === undefined) return;
    this.signalGroup("SIGTERM");
    const deadline = Date.now() + graceMs;
    while (this.groupAlive() && Date.now() < deadline) await sleep(100);
    if (this.groupAlive()) this.signalGroup("SIGKILL");
    if (this.running) await this.exited;
  }

  /**
   * Polls `url` until it answers 200; the time from `since` to that answer.
   * Fails as soon as the process ends, naming its log.
   */
  async waitFor200(url: string, since: number, withinMs: number, logFile: string): Promise<number> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} s'est arrêté au démarrage (voir ${logFile})`);
      const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        (answer) => answer.status === 200,
        () => false,
      );
      if (ok) return performance.now() - since;
      await sleep(50);
    }
    throw new Error(`${this.name} ne répond pas 200 sur ${url} après ${withinMs / 1000} s (voir ${logFile})`);
  }
}

/** Runs a command to completion (the build), failing with its log file named. */
export async function runToCompletion(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
  const log = openSync(options.logFile, "a");
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", log, log] });
  closeSync(log);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${name} a échoué (code ${code}, voir ${options.logFile})`);
}
