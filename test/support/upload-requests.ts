import type { Response } from 'supertest';
import type { Account } from './accounts';
import type { TestApp } from './test-app';

export interface CreatedUploadRequest {
  id: string;
  token: string;
  url: string;
}

/** Creates an upload request for the owner (201 expected) and returns it with its token. */
export async function createUploadRequest(
  t: TestApp,
  owner: Account,
  body: Record<string, unknown> = {},
): Promise<CreatedUploadRequest> {
  const res = await t
    .http()
    .post('/api/v1/upload-requests')
    .set('Authorization', owner.bearer)
    .send({ title: 'Please send the scans', ...body })
    .expect(201);
  return res.body as CreatedUploadRequest;
}

/** An anonymous visitor sends one file through the request, in the visit its cookie names. */
export function sendThroughRequest(
  t: TestApp,
  token: string,
  data: Buffer,
  options: { name?: string; visit?: string } = {},
) {
  const req = t
    .http()
    .post(`/api/v1/public/upload-requests/${token}/files`)
    .attach('file', data, { filename: options.name ?? 'data.bin', contentType: 'text/plain' });
  return options.visit ? req.set('Cookie', options.visit) : req;
}

/** The `name=value` of the visit cookie an answer set, to send back as the same visitor. */
export function visitCookie(res: Response): string {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = header?.find((line) => line.startsWith('strongroom_upload_'));
  if (!cookie) throw new Error('the answer set no visit cookie');
  return cookie.split(';')[0];
}
