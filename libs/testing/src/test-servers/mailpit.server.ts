import path from 'node:path';
import { ensureGoTool, type EnsureGoToolOptions } from './go-tool';
import { freeLoopbackPort, LOOPBACK, ServerProcess } from './server-process';

export const MAILPIT_VERSION = 'v1.33.1';
const READY_TIMEOUT_MS = 30_000;

export interface MailpitStartOptions {
  /** Holds the message database and the log. */
  workDir: string;
  log?: (msg: string) => void;
  /** Fixed ports, to start it again where the application expects it; by default free ones. */
  ports?: { smtp: number; http: number };
}

/** A message as Mailpit's API lists it, with the bodies read on demand. */
export interface ReceivedMail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  /** When Mailpit received it (its own clock: this machine's). */
  receivedAt: Date;
}

export function ensureMailpitBinary(options: EnsureGoToolOptions = {}): Promise<string> {
  return ensureGoTool('mailpit', 'github.com/axllent/mailpit', MAILPIT_VERSION, options);
}

/** Mailpit on loopback: an SMTP server that keeps what it receives, and an HTTP API to read it. */
export class MailpitServer {
  private constructor(
    private readonly process: ServerProcess,
    readonly ports: { smtp: number; http: number },
    private readonly api: string,
  ) {}

  /** What SMTP_URL is set to. */
  get smtpUrl(): string {
    return `smtp://${LOOPBACK}:${this.ports.smtp}`;
  }

  static async start(options: MailpitStartOptions): Promise<MailpitServer> {
    const binary = await ensureMailpitBinary({ log: options.log });
    const { smtp: smtpPort, http: httpPort } = options.ports ?? {
      smtp: await freeLoopbackPort(),
      http: await freeLoopbackPort(),
    };
    const server = ServerProcess.spawn({
      name: 'mailpit',
      binary,
      args: [
        '--smtp',
        `${LOOPBACK}:${smtpPort}`,
        '--listen',
        `${LOOPBACK}:${httpPort}`,
        '--database',
        path.join(options.workDir, 'mailpit.db'),
        '--disable-version-check',
        '--quiet',
      ],
      logFile: path.join(options.workDir, 'mailpit.log'),
    });
    const api = `http://${LOOPBACK}:${httpPort}/api/v1`;
    try {
      await server.waitUntilReady(
        async () => (await fetch(`${api}/messages`)).ok,
        READY_TIMEOUT_MS,
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return new MailpitServer(server, { smtp: smtpPort, http: httpPort }, api);
  }

  async messages(): Promise<ReceivedMail[]> {
    const listed = (await (await fetch(`${this.api}/messages?limit=500`)).json()) as {
      messages: {
        ID: string;
        From: { Address: string };
        To: { Address: string }[];
        Subject: string;
        Created: string;
      }[];
    };
    return listed.messages.map((message) => ({
      id: message.ID,
      from: message.From.Address,
      to: message.To.map((recipient) => recipient.Address),
      subject: message.Subject,
      receivedAt: new Date(message.Created),
    }));
  }

  /** Deletes every message held. */
  async clear(): Promise<void> {
    const res = await fetch(`${this.api}/messages`, { method: 'DELETE' });
    if (!res.ok) throw new Error(`Mailpit answered ${res.status} to deleting its messages`);
  }

  async bodies(id: string): Promise<{ text: string; html: string }> {
    const message = (await (await fetch(`${this.api}/message/${id}`)).json()) as {
      Text: string;
      HTML: string;
    };
    return { text: message.Text, html: message.HTML };
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
