/**
 * A real ClamAV daemon for the tests that need one: Debian's clamd, started in
 * the foreground on a free loopback port with a signature folder written here
 * (the official databases cannot be downloaded on these machines): the EICAR
 * test file's MD5 signature, and a marker of our own that any file containing
 * MARKER matches, so that a valid PDF, PNG, JPEG, DOCX or ODT can carry it.
 * It answers after 3-5 s: start it once per test file (beforeAll).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port.js";

/** The EICAR test file: every antivirus reports it, and it is harmless. */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
/** How clamd names it: signatures from a database it was not given officially get « .UNOFFICIAL ». */
export const EICAR_SIGNATURE = "Eicar-Test-Signature.UNOFFICIAL";
/** Bytes that the test database's own signature matches wherever they appear in a file. */
export const MARKER = "AMETHYSTE-MARQUEUR-DE-TEST-ANTIVIRUS-5c1e";
/** How clamd names the marker's signature. */
export const MARKER_SIGNATURE = "Amethyste.Test.Marker.UNOFFICIAL";

const CLAMD = process.env.CLAMD_PATH ?? "/usr/sbin/clamd";

export class TestClamd {
  private child: ChildProcess | undefined;
  private folder = "";
  port = 0;

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.folder = await mkdtemp(path.join(os.tmpdir(), "amethyste-clamd-"));
    // clamd reads its folders as the user it runs as: mkdtemp makes them private.
    await chmod(this.folder, 0o755);
    const db = path.join(this.folder, "db");
    await mkdir(db, { mode: 0o755 });
    await writeFile(path.join(db, "eicar.hdb"), "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n");
    await writeFile(path.join(db, "test.ndb"), `${MARKER_SIGNATURE.replace(".UNOFFICIAL", "")}:0:*:${Buffer.from(MARKER).toString("hex")}\n`);
    this.port = await freePort();
    const config = path.join(this.folder, "clamd.conf");
    await writeFile(
      config,
      [
        "Foreground yes",
        `DatabaseDirectory ${db}`,
        `TemporaryDirectory ${this.folder}`,
        `TCPSocket ${this.port}`,
        "TCPAddr 127.0.0.1",
        "User root",
        "LogSyslog no",
        "LogTime no",
        "",
      ].join("\n"),
    );
    const child = spawn(CLAMD, [`--config-file=${config}`], { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let errors = "";
    child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!(await this.answersPing())) {
      if (child.exitCode !== null) throw new Error(`clamd s'est arrêté au démarrage (code ${child.exitCode}) : ${errors}`);
      if (Date.now() > deadline) throw new Error(`clamd ne répond pas après 60 s : ${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Freezes the daemon (SIGSTOP): connections are still accepted by the kernel, never answered. */
  pause(): void {
    this.child?.kill("SIGSTOP");
  }

  resume(): void {
    this.child?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
  }

  private answersPing(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port: this.port });
      let answer = "";
      socket.setTimeout(1_000, () => socket.destroy());
      socket.on("connect", () => socket.write("zPING\0"));
      socket.on("data", (chunk) => (answer += chunk.toString()));
      socket.on("error", () => resolve(false));
      socket.on("close", () => resolve(answer.startsWith("PONG")));
    });
  }
}
