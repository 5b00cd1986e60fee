/**
 * npm run build: compiles src/ to dist/ (tsc, incremental), then leaves a
 * stamp. `npm start` runs it with --if-changed: when no file the build reads
 * (src/, the tsconfig files, package.json) is newer than the stamp, it
 * returns at once instead of running the compiler, which takes 10 s or more
 * just to find out that nothing changed. A fresh clone has no stamp, so its
 * first start compiles. Plain JavaScript: it runs before anything is compiled.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stamp = path.join(root, "dist", ".build-stamp");
const inputs = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"].map((name) => path.join(root, name));

/** The latest modification time under a file or folder (0 when it does not exist). */
function newestChange(file) {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(file).reduce((newest, name) => Math.max(newest, newestChange(path.join(file, name))), stats.mtimeMs);
}

function upToDate() {
  const built = newestChange(stamp);
  return built > 0 && inputs.every((input) => newestChange(input) <= built);
}

if (process.argv.includes("--if-changed") && upToDate()) process.exit(0);

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
// The stamp's time is taken before compiling: a file saved during the build makes the next start compile again.
const startedAt = new Date();
try {
  execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
} catch {
  process.exit(1);
}
mkdirSync(path.dirname(stamp), { recursive: true });
writeFileSync(stamp, `${startedAt.toISOString()}\n`);
utimesSync(stamp, startedAt, startedAt);
