import { request as httpRequest } from 'node:http';
import { type Account, collection, signUp } from '../../support/accounts';
import { sha256 } from '../../support/files';
import { listeningPort, trickle } from '../../support/raw-http';
import { createTestApp, type TestApp } from '../../support/test-app';

const MiB = 1024 * 1024;
const DECLARED = 200 * MiB;
const BOUNDARY = 'XYZ';

/** The request line and headers of a multipart upload declaring `length` bytes. */
function uploadHead(length: number, headers: Record<string, string>): string {
  const lines = [
    'POST /api/v1/files HTTP/1.1',
    'Host: 127.0.0.1',
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
    `Content-Length: ${length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The status lines of every response the server wrote, in order (100 Continue included). */
const statusLines = (response: string) => response.match(/^HTTP\/1\.1 \d{3}[^\r]*/gm) ?? [];

describe('multipart upload: a declared Content-Length is refused before the body', () => {
  let t: TestApp;
  let alice: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_FILE_SIZE: '1MB' } });
    alice = await signUp(t, 'expect-continue');
  });
  afterAll(() => t.close());

  it('answers 413 naming the limit instead of 100 Continue, and no body is sent', async () => {
    const head = uploadHead(DECLARED, { Authorization: alice.bearer, Expect: '100-continue' });
    const result = await trickle(t, head, [], { intervalMs: 10, giveUpMs: 5_000 });
    expect(statusLines(result.response)).toEqual(['HTTP/1.1 413 Payload Too Large']);
    expect(result.response).toMatch(/MAX_FILE_SIZE/);
    expect(result.response).toMatch(/connection: close/i);
    expect(result.closedByServer).toBe(true);
  });

  it('answers the quota refusal instead of 100 Continue', async () => {
    const bob = await signUp(t, 'expect-continue-quota');
    await collection(t, 'users').updateOne({ email: bob.email }, { $set: { quota: 64 * 1024 } });
    const head = uploadHead(512 * 1024, { Authorization: bob.bearer, Expect: '100-continue' });
    const result = await trickle(t, head, [], { intervalMs: 10, giveUpMs: 5_000 });
    expect(statusLines(result.response)).toEqual(['HTTP/1.1 413 Payload Too Large']);
    expect(result.response).toMatch(/quota/);
  });

  it('answers 401 to an unauthenticated upload first, telling nothing of limits or quota', async () => {
    const head = uploadHead(DECLARED, { Expect: '100-continue' });
    const result = await trickle(t, head, [], { intervalMs: 10, giveUpMs: 5_000 });
    expect(statusLines(result.response)).toEqual(['HTTP/1.1 401 Unauthorized']);
    expect(result.response).not.toMatch(/MAX_FILE_SIZE|quota/);
  });

  it('without Expect, answers 413 and closes the connection instead of reading 200 MB', async () => {
    const head = uploadHead(DECLARED, { Authorization: alice.bearer });
    const piece = Buffer.alloc(64 * 1024, 1);
    const body = Array.from({ length: DECLARED / piece.length }, () => piece);
    const result = await trickle(t, head, body, { intervalMs: 1, giveUpMs: 10_000 });
    expect(statusLines(result.response)).toEqual(['HTTP/1.1 413 Payload Too Large']);
    expect(result.closedByServer).toBe(true);
    expect(result.sent).toBeLessThan(body.length / 10);
  });

  it('sends 100 Continue to an upload it accepts, which then completes', async () => {
    const data = Buffer.from('sent after 100 Continue');
    const body = Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="c.txt"\r\n` +
          'Content-Type: text/plain\r\n\r\n',
      ),
      data,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const port = await listeningPort(t);
    const events: string[] = [];
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/files',
        headers: {
          Authorization: alice.bearer,
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Length': String(body.length),
          Expect: '100-continue',
        },
      });
      req.on('continue', () => {
        events.push('continue');
        req.end(body);
      });
      req.on('response', (res) => {
        events.push(`response ${res.statusCode}`);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
    });
    expect(events).toEqual(['continue', 'response 201']);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ size: data.length, sha256: sha256(data) });
  });
});
