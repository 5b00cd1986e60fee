/**
 * `npm start` after a `kill -9`: the embedded PostgreSQL the killed process
 * started is still running on its data folder. The next start must find it
 * (postmaster.pid), stop it and start normally; every start failure must
 * say, in French, what to do; and SIGINT then SIGTERM stop it once.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedPostgresIsRunning, PortInUseError, startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { stopOrphanServer } from "../../src/db/orphan-postgres.js";
import { freePort } from "../support/free-port.js";

/** Starts the embedded server from another node process, as `npm start` does, and kills that process with SIGKILL once the server is up. */
async function orphanServer(dataDir: string, port: number): Promise<void> {
  const script = `
    import { startEmbeddedPostgres } from "./src/db/embedded-postgres.ts";
    await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} });
    console.log("prêt");
    setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("prêt") && resolve());
    child.on("exit", (code) => reject(new Error(`the child process ended (${code}) before the server was up`)));
  });
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
}

let dir: string;
beforeAll(async () => {
  // Under the system's temporary folder, enterable by the postgres OS user.
  dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-embedded-"));
  await chmod(dir, 0o755);
});
afterAll(async () => {
  // Even when a test failed half-way: no server left running behind the run.
  await stopOrphanServer(path.join(dir, "orphan")).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe("The embedded PostgreSQL after a kill -9 of its owner", () => {
  it("finds the server left running on the data folder, stops it and starts normally", { timeout: 120_000 }, async () => {
    const dataDir = path.join(dir, "orphan");
    const port = await freePort();
    await orphanServer(dataDir, port);
    // The killed process's server is still there, holding its postmaster.pid.
    expect(await embeddedPostgresIsRunning(port)).toBe(true);

    const server = await startEmbeddedPostgres({ dataDir, port });
    try {
      await server.createDatabase("reprise");
      const client = new pg.Client({ connectionString: server.urlFor("reprise") });
      await client.connect();
      expect((await client.query("SELECT 1 AS un")).rows).toEqual([{ un: 1 }]);
      await client.end();
    } finally {
      await server.stop();
    }
    expect(await embeddedPostgresIsRunning(port)).toBe(false);
  });
});

describe("A start that cannot succeed says what to do, in French", () => {
  it("names the port already used by another program", { timeout: 60_000 }, async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", () => resolve()));
    const { port } = squatter.address() as AddressInfo;
    try {
      const failure: unknown = await startEmbeddedPostgres({ dataDir: path.join(dir, "port-pris"), port }).then(
        () => "démarré",
        (error: unknown) => error,
      );
      // Its own kind, which the tests' database set-up tells apart to draw another port.
      expect(failure).toBeInstanceOf(PortInUseError);
      expect((failure as Error).message).toContain(`Le port ${port} est déjà utilisé par un autre programme`);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it("names a data folder that cannot be created", async () => {
    const file = path.join(dir, "un-fichier");
    await writeFile(file, "pas un dossier");
    await expect(startEmbeddedPostgres({ dataDir: path.join(file, "postgres"), port: await freePort() })).rejects.toThrow(
      /Le dossier de données .* ne peut pas être créé/,
    );
  });

  it("npm start prints the French sentence instead of « undefined »", { timeout: 60_000 }, async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", () => resolve()));
    const { port } = squatter.address() as AddressInfo;
    try {
      const result = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/server.ts"], {
        env: { ...process.env, DATABASE_URL: "", DATA_DIR: path.join(dir, "npm-start"), EMBEDDED_PG_PORT: String(port), PORT: "0", NODE_ENV: "development" },
      }).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Le port ${port} est déjà utilisé par un autre programme`);
      expect(result.stderr).not.toContain("undefined");
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it("npm start stops once on SIGINT then SIGTERM, and stops its database", { timeout: 180_000 }, async () => {
    const dataDir = path.join(dir, "stop-once");
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: "",
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        PORT: "0",
        NODE_ENV: "development",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const read = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Portail Améthyste prêt")) resolve();
        };
        child.stdout.on("data", read);
        child.stderr.on("data", read);
        void exited.then((code) => reject(new Error(`npm start ended (${code}) before it was ready:\n${output}`)));
      });
      child.kill("SIGINT");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      // Whichever of the two signals Node handles first starts the one stop; the other only says so.
      expect(output.match(/SIG(INT|TERM) reçu, arrêt en cours/g)).toHaveLength(1);
      expect(output.match(/SIG(INT|TERM) reçu, l'arrêt est déjà en cours/g)).toHaveLength(1);
      expect(output).not.toMatch(/"level":(50|60)/);
      expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await stopOrphanServer(path.join(dataDir, "postgres")).catch(() => undefined);
    }
  });
});
