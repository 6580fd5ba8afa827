import { Upload, type UploadOptions } from 'tus-js-client';
import { request } from 'node:http';
import type { Account } from './accounts';

export interface TusResult {
  url: string;
  fileId: string;
}

/**
 * The path of an upload's URL (Location is absolute, under PUBLIC_URL), for a test that sends it
 * to one particular instance or through supertest.
 */
export const uploadPath = (location: string): string => new URL(location).pathname;

/** Options for tus-js-client against a listening app, as the account. */
export function tusOptions(
  baseUrl: string,
  account: Pick<Account, 'bearer'>,
  extra: UploadOptions = {},
): UploadOptions {
  return {
    endpoint: `${baseUrl}/api/v1/uploads`,
    headers: { Authorization: account.bearer },
    metadata: { filename: 'resumable.bin' },
    retryDelays: [],
    storeFingerprintForResuming: false,
    ...extra,
  };
}

/** Runs a tus-js-client upload to the end; the file id comes from the completing response. */
export function tusUpload(data: Buffer, options: UploadOptions): Promise<TusResult> {
  return new Promise((resolve, reject) => {
    let fileId = '';
    const upload = new Upload(data, {
      ...options,
      onAfterResponse: (_req, res) => {
        fileId = res.getHeader('Strongroom-File-Id') || fileId;
      },
      onSuccess: () => resolve({ url: upload.url ?? '', fileId }),
      onError: reject,
    });
    upload.start();
  });
}

/** The offset the server reports for an upload (HEAD). */
export async function tusOffset(url: string, account: Pick<Account, 'bearer'>): Promise<number> {
  const res = await fetch(url, {
    method: 'HEAD',
    headers: { Authorization: account.bearer, 'Tus-Resumable': '1.0.0' },
  });
  if (res.status !== 200) throw new Error(`HEAD ${url} answered ${res.status}`);
  return Number(res.headers.get('upload-offset'));
}

/**
 * Sends the first `bytes` of a PATCH from offset 0, waits until the server has durably stored at
 * least `stored` of them, then destroys the connection mid-request, as a dropped network does.
 */
export async function interruptedPatch(
  url: string,
  account: Pick<Account, 'bearer'>,
  data: Buffer,
  bytes: number,
  stored: number,
  /** Runs before the client side goes: e.g. SIGKILL the server instead. */
  beforeDestroy: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const req = request(url, {
    method: 'PATCH',
    headers: {
      Authorization: account.bearer,
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': '0',
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(data.length),
    },
  });
  req.on('error', () => undefined);
  req.write(data.subarray(0, bytes));
  const deadline = Date.now() + 10_000;
  while ((await tusOffset(url, account)) < stored) {
    if (Date.now() > deadline) throw new Error(`the server never stored ${stored} bytes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await beforeDestroy();
  req.destroy();
}
