/**
 * npm run bench:antivirus: files scanned per second by clamd through the
 * portal's own scanner (ClamdAntivirus, INSTREAM over TCP), for each size of
 * a typical upload, one at a time and 5 at once (one upload's worth).
 * Starts a clamd on a free port with the tests' signature folder, or uses
 * CLAMAV_URL's daemon when set. BENCH_FILES (default 200) files per run.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseClamavUrl } from "../src/config.js";
import { ClamdAntivirus } from "../src/features/documents/antivirus.js";
import { TestClamd } from "../tests/support/clamd.js";

const count = Number(process.env.BENCH_FILES ?? 200);
const sizes = [
  { label: "100 Ko", bytes: 100 * 1024 },
  { label: "1 Mo", bytes: 1024 * 1024 },
  { label: "10 Mo", bytes: 10 * 1024 * 1024 },
];

async function main(): Promise<void> {
  const external = process.env.CLAMAV_URL ? parseClamavUrl(process.env.CLAMAV_URL) : null;
  const clamd = external ? null : new TestClamd();
  const dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-bench-antivirus-"));
  try {
    let started = Date.now();
    await clamd?.start();
    if (clamd) console.log(`clamd prêt en ${Date.now() - started} ms (port ${clamd.port})`);
    const antivirus = new ClamdAntivirus(external ?? { host: "127.0.0.1", port: clamd!.port }, 60_000);
    for (const size of sizes) {
      // A PDF-like file of varied bytes, so that nothing is skipped as blank.
      const file = path.join(dir, `${size.bytes}.pdf`);
      const body = Buffer.alloc(size.bytes);
      for (let i = 0; i < body.length; i++) body[i] = (i * 2654435761) >>> 24;
      body.write("%PDF-1.4\n", 0);
      await writeFile(file, body);
      const files = size.bytes >= 10 * 1024 * 1024 ? Math.max(10, Math.round(count / 10)) : count;
      for (const parallel of [1, 5]) {
        started = Date.now();
        for (let done = 0; done < files; done += parallel) {
          await Promise.all(Array.from({ length: Math.min(parallel, files - done) }, () => antivirus.scanFile(file)));
        }
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `${size.label.padStart(7)}, ${parallel} à la fois : ${files} fichiers en ${seconds.toFixed(2)} s, ${(files / seconds).toFixed(1)} fichiers/s, ${((files * size.bytes) / 1024 / 1024 / seconds).toFixed(1)} Mo/s`,
        );
      }
    }
  } finally {
    await clamd?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
