import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.js";

describe("configuration", () => {
  it("has development defaults: port 3000, embedded database, development mailbox", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      env: "development",
      port: 3000,
      publicUrl: "http://localhost:3000",
      databaseUrl: undefined,
      smtpUrl: undefined,
      secureCookies: false,
    });
  });

  it("reads the variables, treating empty ones as unset", () => {
    const config = parseConfig({ PORT: "8080", PUBLIC_URL: "https://amethyste.example.fr/", SMTP_URL: "", DATABASE_URL: "postgresql://u:p@db:5432/x" });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe("https://amethyste.example.fr");
    expect(config.secureCookies).toBe(true);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.databaseUrl).toBe("postgresql://u:p@db:5432/x");
  });

  it("refuses invalid values with the variable's name", () => {
    expect(() => parseConfig({ PORT: "quatre" })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: "quatre" })).toThrow(/PORT/);
    expect(() => parseConfig({ SESSION_SECRET: "court" })).toThrow(/SESSION_SECRET/);
  });

  it("refuses to start in production without its secrets", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET, IBAN_ENCRYPTION_KEY, DATABASE_URL, SMTP_URL, PUBLIC_URL/);
    const complete = parseConfig({
      NODE_ENV: "production",
      SESSION_SECRET: "s".repeat(40),
      IBAN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      DATABASE_URL: "postgresql://u:p@db/x",
      SMTP_URL: "smtp://mail:25",
      PUBLIC_URL: "https://amethyste.seinesaintdenis.fr",
    });
    expect(complete.env).toBe("production");
  });
});
