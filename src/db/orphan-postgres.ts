/**
 * A server left running by a portal that was killed (`kill -9`, a crash):
 * PostgreSQL outlives its parent and keeps its postmaster.pid in the data
 * folder, so a new start on that folder fails. Before starting, the portal
 * reads postmaster.pid and, when the process it names is a PostgreSQL whose
 * owner is gone, stops it (a fast shutdown, then a forced one). A server
 * whose owner is still alive (another `npm start` on the same folder) is
 * left alone and reported.
 */
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { StartupError } from "../lib/startup-error.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

async function readPid(file: string): Promise<number | undefined> {
  const content = await readFile(file, "utf8").catch(() => undefined);
  const pid = Number(content?.split("\n")[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/** The file, beside the data folder, that names the node process owning the server. */
export function ownerFileOf(databaseDir: string): string {
  return path.join(path.dirname(databaseDir), `${path.basename(databaseDir)}.owner`);
}

export async function recordOwner(databaseDir: string): Promise<void> {
  await writeFile(ownerFileOf(databaseDir), `${process.pid}\n`);
}

/** Stops the server left running on this data folder by a process that is gone. Returns its pid, if there was one. */
export async function stopOrphanServer(databaseDir: string): Promise<number | undefined> {
  const pid = await readPid(path.join(databaseDir, "postmaster.pid"));
  // No file, or a stale one (after a reboot): PostgreSQL handles that itself.
  if (pid === undefined || !isAlive(pid) || !commandOf(pid).includes("postgres")) return undefined;

  const owner = await readPid(ownerFileOf(databaseDir));
  if (owner !== undefined && owner !== process.pid && isAlive(owner) && commandOf(owner).includes("node")) {
    throw new StartupError(
      `La base PostgreSQL embarquée de « ${databaseDir} » est déjà utilisée par un autre portail en marche (processus ${owner}). ` +
        "Arrêtez-le (Ctrl+C dans son terminal) avant d'en démarrer un autre, ou donnez à celui-ci un autre DATA_DIR.",
    );
  }

  // SIGINT: « fast » shutdown (sessions ended, data written); SIGQUIT if it does not stop.
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 30_000))) {
    process.kill(pid, "SIGQUIT");
    if (!(await waitForExit(pid, 10_000))) {
      throw new StartupError(
        `Une base PostgreSQL embarquée restée en marche (processus ${pid}) ne s'arrête pas. Arrêtez-la (kill ${pid}) puis relancez npm start.`,
      );
    }
  }
  return pid;
}
