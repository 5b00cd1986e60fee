/**
 * The portal as `npm start` runs it, in a process of its own (`node --import
 * tsx src/server.ts`), on a free loopback port: for the tests where several
 * instances must share nothing but what production shares.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port.js";

export interface PortalProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** What the process printed, for a failure's message. */
  output(): string;
  /** Sends a signal and returns at once (to look at the process while it stops). */
  signal(name: NodeJS.Signals): void;
  /** The exit code, once the process has ended (null if a signal ended it). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts one instance with this environment (over the test process's own) and waits for « Portail Améthyste prêt ». */
export async function startPortalProcess(env: Record<string, string>): Promise<PortalProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-portal-"));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      LOG_REQUESTS: "false",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: path.join(dir, "data"),
      UPLOADS_DIR: path.join(dir, "uploads"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      // Longer than the server's own bound on a stop (10 s), so that a slow stop is seen as such, not killed.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Portail Améthyste prêt")) resolve();
      };
      child.stdout?.on("data", read);
      child.stderr?.on("data", read);
      void exited.then(() => reject(new Error(`le portail s'est arrêté avant d'être prêt :\n${output}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, output: () => output, signal: (name) => child.kill(name), exited, stop };
}
