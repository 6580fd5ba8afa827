import { createHash, randomBytes } from 'node:crypto';
import { STRONG_PASSWORD, uniqueEmail } from '../../support/accounts';
import { sha256 } from '../../support/files';
import { type ScaledDeployment, startScaledDeployment } from '../../support/scaled-deployment';
import { interruptedPatch, tusOffset, tusOptions, tusUpload, uploadPath } from '../../support/tus';

const MiB = 1024 * 1024;

/**
 * The compiled server in real processes on one database and storage folder: an upload begun on
 * one instance, whose process is killed (SIGKILL) mid-PATCH, is resumed on the other from the
 * offset it reports, and the file read back on the first, restarted.
 */
describe('tus across instances and a SIGKILL', () => {
  let deployment: ScaledDeployment;
  const base = (index: number) => `http://${deployment.instances[index].address}`;

  beforeAll(async () => {
    deployment = await startScaledDeployment({ instances: 2, env: { MAX_FILE_SIZE: '64MB' } });
  }, 120_000);
  afterAll(() => deployment?.stop());

  async function account(): Promise<{ bearer: string }> {
    const email = uniqueEmail('tus-crash');
    const credentials = { email, password: STRONG_PASSWORD };
    const post = (path: string, body: unknown) =>
      fetch(`${base(1)}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/v1/auth/register', credentials)).status).toBe(201);
    const login = await post('/api/v1/auth/login', credentials);
    const { accessToken } = (await login.json()) as { accessToken: string };
    return { bearer: `Bearer ${accessToken}` };
  }

  it('resumes on another instance after the first is killed mid-PATCH; nothing lost or doubled', async () => {
    const user = await account();
    const data = randomBytes(12 * MiB + 4321);
    const created = await fetch(`${base(0)}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        Authorization: user.bearer,
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(data.length),
      },
    });
    expect(created.status).toBe(201);
    const path = uploadPath(created.headers.get('location')!);

    await interruptedPatch(`${base(0)}${path}`, user, data, 5 * MiB, 3 * MiB, () =>
      deployment.instances[0].kill(),
    );
    const offset = await tusOffset(`${base(1)}${path}`, user);
    expect(offset % MiB).toBe(0);
    expect(offset).toBeGreaterThanOrEqual(3 * MiB);

    // The dead writer's claim lapses after at most 15 s; tus-js-client retries its 409s.
    const { fileId } = await tusUpload(
      data,
      tusOptions(base(1), user, {
        uploadUrl: `${base(1)}${path}`,
        chunkSize: 4 * MiB,
        retryDelays: [1000, 2000, 4000, 8000, 8000],
      }),
    );

    await deployment.instances[0].start();
    const content = await fetch(`${base(0)}/api/v1/files/${fileId}/content`, {
      headers: { Authorization: user.bearer },
    });
    expect(content.status).toBe(200);
    const digest = createHash('sha256');
    digest.update(Buffer.from(await content.arrayBuffer()));
    expect(digest.digest('hex')).toBe(sha256(data));
    const meta = (await (
      await fetch(`${base(0)}/api/v1/files/${fileId}`, { headers: { Authorization: user.bearer } })
    ).json()) as { size: number; sha256: string };
    expect(meta).toMatchObject({ size: data.length, sha256: sha256(data) });
  }, 90_000);
});
