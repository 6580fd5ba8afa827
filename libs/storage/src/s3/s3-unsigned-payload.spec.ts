import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { signHeadersOnly, UNSIGNED_PAYLOAD } from './s3-unsigned-payload';

/** A real S3 client whose HTTP handler records the signed request instead of sending it. */
function recordingClient() {
  const sent: { headers: Record<string, string> }[] = [];
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: {
      handle: (request: { headers: Record<string, string> }) => {
        sent.push(request);
        return Promise.resolve({
          response: { statusCode: 200, headers: { etag: '"e1"' }, body: Readable.from([]) },
        });
      },
    },
  });
  return { client, sent };
}

describe('signHeadersOnly', () => {
  it.each([
    ['PutObject', new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: Buffer.alloc(1024, 1) })],
    [
      'UploadPart',
      new UploadPartCommand({
        Bucket: 'b',
        Key: 'k',
        UploadId: 'u',
        PartNumber: 1,
        Body: Buffer.alloc(1024, 1),
      }),
    ],
  ])('sends a %s body unhashed, with the headers still signed', async (_name, command) => {
    const { client, sent } = recordingClient();
    signHeadersOnly(client);
    await client.send(command as PutObjectCommand);
    const [request] = sent;
    expect(request.headers['x-amz-content-sha256']).toBe(UNSIGNED_PAYLOAD);
    expect(request.headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/);
  });

  it('leaves the SDK hashing the body without it', async () => {
    const { client, sent } = recordingClient();
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: Buffer.alloc(1024, 1) }));
    expect(sent[0].headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });
});
