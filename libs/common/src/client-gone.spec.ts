import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { clientWentAway } from './client-gone';

describe('clientWentAway', () => {
  it('is true for a pipe into a response the client closed before the first byte', async () => {
    const response = new PassThrough();
    response.destroy();
    const failure = await pipeline(Readable.from(['bytes']), response).catch((error) => error);
    expect(clientWentAway(failure)).toBe(true);
  });

  it('is true for a client that hangs up mid-body', async () => {
    const response = new PassThrough();
    const body = new Readable({ read() {} });
    body.push('first');
    setImmediate(() => response.destroy());
    const failure = await pipeline(body, response).catch((error) => error);
    expect(clientWentAway(failure)).toBe(true);
  });

  it('is false for a storage failure', () => {
    expect(clientWentAway(Object.assign(new Error('EIO'), { code: 'EIO' }))).toBe(false);
    expect(clientWentAway(undefined)).toBe(false);
  });
});
