/**
 * A real S3-speaking server for the tests: s3rver (npm), started on a free
 * loopback port with a bucket in a fresh mkdtemp folder. It checks the SDK's
 * signatures (key and secret « S3RVER ») and the Content-MD5 of uploads. It can
 * be stopped and started again on the same port and folder (the bucket down,
 * then back with its files).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { S3Config } from "../../src/config.js";
import { S3DocumentStorage } from "../../src/features/documents/s3-storage.js";

const PROCESS_SCRIPT = fileURLToPath(new URL("./s3-server-process.mjs", import.meta.url));

export class S3TestServer {
  private child: ChildProcess | undefined;
  port = 0;

  private constructor(
    readonly dir: string,
    readonly bucket: string,
  ) {}

  static async start(bucket = "amethyste-test"): Promise<S3TestServer> {
    const server = new S3TestServer(await mkdtemp(path.join(os.tmpdir(), "amethyste-s3-")), bucket);
    await server.resume();
    return server;
  }

  /** What S3_* would say to reach this bucket. */
  get config(): S3Config {
    return {
      bucket: this.bucket,
      endpoint: `http://127.0.0.1:${this.port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      forcePathStyle: true,
    };
  }

  /** The portal's S3 storage on this bucket, its temporary copies in `incomingDir`. */
  storage(incomingDir: string): S3DocumentStorage {
    return new S3DocumentStorage({ ...this.config, incomingDir });
  }

  /** Starts the server (again, on the same port and folder after pause()). */
  async resume(): Promise<void> {
    const child = spawn(process.execPath, ["--openssl-legacy-provider", PROCESS_SCRIPT], {
      env: { ...process.env, S3RVER_PORT: String(this.port), S3RVER_DIR: this.dir, S3RVER_BUCKET: this.bucket },
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.child = child;
    this.port = await new Promise<number>((resolve, reject) => {
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
        const ready = /ready (\d+)/.exec(output);
        if (ready) resolve(Number(ready[1]));
      });
      child.once("exit", (code) => reject(new Error(`s3rver s'est arrêté au démarrage (code ${code})`)));
    });
  }

  /** Stops the server, keeping its files: the bucket is unreachable until resume(). */
  async pause(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      // Connections kept alive by a client would hold a graceful close: killed after a moment.
      const kill = setTimeout(() => child.kill("SIGKILL"), 2_000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  async close(): Promise<void> {
    await this.pause();
    await rm(this.dir, { recursive: true, force: true });
  }
}
