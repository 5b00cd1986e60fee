import path from "node:path";
import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "./src/db/migration-adapter.js";

// `npm install` runs `prisma generate` with no DATABASE_URL; without one the
// CLI falls back to downloading engines, which fails offline. Generation does
// not connect, so a placeholder is enough there. Prisma does not read .env
// when a config file exists: the caller (src/db/migrate.ts) passes the URL.
process.env.DATABASE_URL ??= "postgresql://placeholder:placeholder@localhost:5432/placeholder";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: () => Promise.resolve(createMigrationAdapter(process.env.DATABASE_URL as string)),
});
