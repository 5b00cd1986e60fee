/**
 * A TCP proxy on loopback in front of PostgreSQL, which a test can cut or
 * freeze: `cut()` drops every connection and refuses new ones (a database
 * restart or crash), `freeze()` keeps the connections open but stops
 * forwarding (a database stopped with SIGSTOP, a network that hangs), and
 * `restore()` brings it back.
 */
import net, { type AddressInfo } from "node:net";

type State = "open" | "cut" | "frozen";

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes held while frozen, per direction. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

export class TcpProxy {
  private server: net.Server | undefined;
  private readonly links = new Set<Link>();
  private state: State = "open";
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<void> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private accept(client: net.Socket): void {
    if (this.state === "cut") {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    const link: Link = { client, upstream, toUpstream: [], toClient: [] };
    this.links.add(link);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.links.delete(link);
    };
    client.on("data", (chunk: Buffer) => (this.state === "frozen" ? link.toUpstream.push(chunk) : upstream.write(chunk)));
    upstream.on("data", (chunk: Buffer) => (this.state === "frozen" ? link.toClient.push(chunk) : client.write(chunk)));
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  }

  /** Every connection dropped, new ones refused: the database went away. */
  cut(): void {
    this.state = "cut";
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.links.clear();
  }

  /** Connections stay open (new ones too) but nothing goes through: the database hangs. */
  freeze(): void {
    this.state = "frozen";
  }

  restore(): void {
    this.state = "open";
    for (const link of this.links) {
      for (const chunk of link.toUpstream.splice(0)) link.upstream.write(chunk);
      for (const chunk of link.toClient.splice(0)) link.client.write(chunk);
    }
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
