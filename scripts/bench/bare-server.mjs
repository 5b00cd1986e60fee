// The ceiling for an anonymous page: a bare Node `http` server answering every
// request with the same bytes, the portal's home page as npm run bench:http
// fetched it just before.
//
//   node bare-server.mjs PORT FILE CONTENT_TYPE
import http from "node:http";
import { readFileSync } from "node:fs";

const [port, file, contentType] = process.argv.slice(2);
const body = readFileSync(file);
http
  .createServer((_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.length });
    res.end(body);
  })
  .listen(Number(port), "127.0.0.1", () => console.log(`bare server on ${port}`));
