import { PassThrough, Writable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { StorageUnavailableError } from '../storage.errors';
import { S3ResumableStorage } from './s3.resumable-storage';

/**
 * A stand-in for S3 that takes an UploadPart's body as the SDK's HTTP handler does (piped into
 * the request, which waits for `ContentLength` bytes) and fails only when the call is aborted.
 */
function fakeS3() {
  const received: { contentLength: unknown; bytes: number }[] = [];
  const client = {
    send: (
      command: { input: { Body: PassThrough; ContentLength: number } },
      options: { abortSignal: AbortSignal },
    ) =>
      new Promise((resolve, reject) => {
        const part = { contentLength: command.input.ContentLength, bytes: 0 };
        received.push(part);
        const request = new Writable({
          write(chunk: Buffer, _encoding, done) {
            part.bytes += chunk.length;
            done();
            if (part.bytes === command.input.ContentLength) resolve({ ETag: '"e1"' });
          },
        });
        command.input.Body.pipe(request);
        options.abortSignal.addEventListener('abort', () =>
          reject(new Error('Request aborted', { cause: options.abortSignal.reason })),
        );
      }),
  } as unknown as S3Client;
  return { client, received };
}

const target = { uploadId: 'u', key: 'k', state: { multipartId: 'm' } };

describe('S3ResumableStorage.writePart', () => {
  it('streams the part into UploadPart with its length, and returns its ETag', async () => {
    const s3 = fakeS3();
    const data = new PassThrough();
    const stored = new S3ResumableStorage(s3.client, 'b').writePart(
      target,
      { number: 1, position: 0, length: 6 },
      data,
    );
    data.write(Buffer.from('abc'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(s3.received).toEqual([{ contentLength: 6, bytes: 3 }]);
    data.end(Buffer.from('def'));
    await expect(stored).resolves.toBe('"e1"');
  });

  it('aborts the request when its source fails, instead of waiting for the missing bytes', async () => {
    const s3 = fakeS3();
    const data = new PassThrough();
    const stored = new S3ResumableStorage(s3.client, 'b').writePart(
      target,
      { number: 2, position: 6, length: 6 },
      data,
    );
    data.write(Buffer.from('abc'));
    data.destroy(new Error('the PATCH ended short'));
    await expect(stored).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});
