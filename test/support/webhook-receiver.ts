import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './cli';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the whole request had arrived. */
  receivedAt: number;
}

/** How a path answers its nth call (0-based); undefined leaves the request hanging. */
export type WebhookAnswer = (call: number) => number | undefined;

/** A webhook receiver on loopback: records what arrives, answers per path as the test says. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers = new Map<string, WebhookAnswer>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver: WebhookReceiver = new WebhookReceiver(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => receiver.answer(req.url ?? '/', req.headers, chunks, res));
      }),
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  on(path: string, answer: WebhookAnswer): void {
    this.answers.set(path, answer);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((hook) => hook.path === path);
  }

  /** Waits until `path` has had at least `count` calls, and returns them. */
  calls(path: string, count: number, timeoutMs = 20_000): Promise<ReceivedWebhook[]> {
    return eventually(
      () => Promise.resolve(this.at(path).length >= count ? this.at(path) : undefined),
      `${count} webhook calls to ${path}`,
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(
    path: string,
    headers: IncomingHttpHeaders,
    chunks: Buffer[],
    res: ServerResponse,
  ): void {
    const call = this.at(path).length;
    this.received.push({
      path,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: Date.now(),
    });
    const status = (this.answers.get(path) ?? (() => 204))(call);
    if (status === undefined) {
      this.hanging.add(res);
      return;
    }
    res.writeHead(status).end();
  }
}
