import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.js";

describe("S3 configuration", () => {
  it("keeps documents in UPLOADS_DIR without S3_BUCKET", () => {
    expect(parseConfig({}).s3).toBeUndefined();
  });

  it("reads the bucket, its endpoint, region, keys and path style", () => {
    const config = parseConfig({
      S3_BUCKET: "amethyste-justificatifs",
      S3_ENDPOINT: "https://s3.fr-par.scw.cloud",
      S3_REGION: "fr-par",
      S3_ACCESS_KEY_ID: "cle",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_FORCE_PATH_STYLE: "true",
    });
    expect(config.s3).toEqual({
      bucket: "amethyste-justificatifs",
      endpoint: "https://s3.fr-par.scw.cloud",
      region: "fr-par",
      credentials: { accessKeyId: "cle", secretAccessKey: "secret" },
      forcePathStyle: true,
    });
    expect(parseConfig({ S3_BUCKET: "b-amazon" }).s3).toEqual({
      bucket: "b-amazon",
      endpoint: undefined,
      region: "us-east-1",
      credentials: undefined,
      forcePathStyle: false,
    });
  });

  it("refuses S3 settings that cannot work, saying which", () => {
    expect(() => parseConfig({ S3_ENDPOINT: "https://s3.example.fr" })).toThrow(/S3_BUCKET/);
    expect(() => parseConfig({ S3_BUCKET: "b", S3_ACCESS_KEY_ID: "cle" })).toThrow(ConfigError);
    expect(() => parseConfig({ S3_BUCKET: "b", S3_ACCESS_KEY_ID: "cle" })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => parseConfig({ S3_BUCKET: "b", S3_ENDPOINT: "pas une url" })).toThrow(/S3_ENDPOINT/);
    expect(() => parseConfig({ S3_BUCKET: "b", S3_FORCE_PATH_STYLE: "oui" })).toThrow(/S3_FORCE_PATH_STYLE/);
  });
});
