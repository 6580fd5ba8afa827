import type { S3Client } from '@aws-sdk/client-s3';

/** The SigV4 payload hash S3 accepts in place of the body's SHA-256. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';

/**
 * Signs the headers of the client's requests but not their bodies. The SDK's signer hashes every
 * in-memory body (a part buffer, a PutObject) with SHA-256 before sending it, and the server
 * hashes it again to check: a second full pass over every byte stored on each side, on top of
 * the file's own digest, about a quarter of an S3 upload's CPU. The bytes need no such check:
 * what we store is sealed chunk by chunk with AES-GCM, so a body altered on the way fails to open
 * when read, and over HTTPS TLS protects it too. Streamed bodies (resumable parts) were always
 * sent this way, since the signer cannot hash a stream ahead.
 */
export function signHeadersOnly(client: S3Client): void {
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[PAYLOAD_HASH_HEADER] = UNSIGNED_PAYLOAD;
      return next(args);
    },
    { step: 'build', name: 'signHeadersOnly' },
  );
}
