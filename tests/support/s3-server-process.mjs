// A real S3-speaking server (s3rver) for the tests, in its own process: s3rver
// signs its ListObjectsV2 continuation tokens with DES, which Node.js's
// OpenSSL 3 only offers with --openssl-legacy-provider (given by s3-server.ts
// to this process alone). Prints « ready <port> » once it listens.
import S3rver from "s3rver";

const server = new S3rver({
  address: "127.0.0.1",
  port: Number(process.env.S3RVER_PORT ?? 0),
  directory: process.env.S3RVER_DIR,
  silent: true,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET }],
});
const { port } = await server.run();
process.stdout.write(`ready ${port}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
