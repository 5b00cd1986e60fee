/**
 * The portal and the daemon's address: `npm start` in production without
 * CLAMAV_URL stops before touching anything, with a French sentence; a
 * daemon that accepts connections and never answers, or a port where none
 * listens, gives « indisponible » (AntivirusUnavailable) within the timeout.
 */
import { execFile } from "node:child_process";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AntivirusUnavailable, ClamdAntivirus } from "../../src/features/documents/antivirus.js";
import { freePort } from "../support/free-port.js";

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-antivirus-"));
  file = path.join(dir, "document.pdf");
  await writeFile(file, "%PDF-1.4\n% Justificatif\n%%EOF\n");
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("The antivirus daemon's address", () => {
  it("npm start in production without CLAMAV_URL refuses to start, before the database, saying what to set", { timeout: 60_000 }, async () => {
    const result = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        SESSION_SECRET: "un-secret-de-production-suffisamment-long-0123456789",
        IBAN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
        // Nothing listens there: reaching the database would fail with another message.
        DATABASE_URL: `postgresql://amethyste@127.0.0.1:${await freePort()}/amethyste`,
        SMTP_URL: "smtp://127.0.0.1:2525",
        PUBLIC_URL: "https://amethyste.example.fr",
        PORT: "0",
        CLAMAV_URL: "",
        LOG_LEVEL: "info",
      },
    }).then(
      () => ({ code: 0, stdout: "", stderr: "" }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain("En production, CLAMAV_URL est obligatoire");
    expect(output).toContain("CLAMAV_URL=tcp://clamav.interne:3310");
    expect(output).not.toContain("migrations");
    expect(output).not.toMatch(/"stack"/);
  });

  it("gives up on a daemon that accepts and never answers, after the timeout", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const antivirus = new ClamdAntivirus({ host: "127.0.0.1", port }, 700);
      const started = Date.now();
      await expect(antivirus.scanFile(file)).rejects.toBeInstanceOf(AntivirusUnavailable);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(650);
      expect(waited).toBeLessThan(5_000);
      expect(sockets.size).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("says « unavailable » at once when nothing listens on the port", async () => {
    const antivirus = new ClamdAntivirus({ host: "127.0.0.1", port: await freePort() }, 5_000);
    const started = Date.now();
    await expect(antivirus.scanFile(file)).rejects.toBeInstanceOf(AntivirusUnavailable);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
