import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTempDir, type TempDir } from '@strongroom/testing';
import { type Account, collection, signUp } from '../../support/accounts';
import { sha256 } from '../../support/files';
import { interruptedPatch, tusOffset } from '../../support/tus';
import { requirePythonTool } from '../../support/python-tools';
import { tuspyUpload } from '../../support/tuspy';
import { createListeningTestApp, type TestApp } from '../../support/test-app';

const MiB = 1024 * 1024;

describe('tus with tuspy (Python client from PyPI)', () => {
  let t: TestApp;
  let dir: TempDir;
  let endpoint: string;
  let alice: Account;

  beforeAll(async () => {
    requirePythonTool('tuspy');
    dir = await createTempDir('tuspy');
    // Listening at its PUBLIC_URL, which the Location of every upload is under.
    const app = await createListeningTestApp({ env: { MAX_FILE_SIZE: '64MB' } });
    t = app;
    endpoint = `${app.baseUrl}/api/v1/uploads`;
    alice = await signUp(t, 'tuspy');
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await dir?.remove();
  });

  async function readyFile(name: string) {
    return collection(t, 'files').findOne({ name, status: 'ready' });
  }

  it('resumes, after a PATCH whose connection was destroyed, to a ready file with the right SHA-256', async () => {
    const data = randomBytes(9 * MiB + 4321);
    const file = path.join(dir.path, 'resumed.bin');
    await writeFile(file, data);
    const created = await t
      .http()
      .post('/api/v1/uploads')
      .set('Authorization', alice.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', String(data.length))
      .set('Upload-Metadata', `filename ${Buffer.from('py-resumed.bin').toString('base64')}`)
      .expect(201);
    const url = new URL(created.headers.location, endpoint).toString();
    await interruptedPatch(url, alice, data, 3.5 * MiB, 3 * MiB);
    expect(await tusOffset(url, alice)).toBeGreaterThanOrEqual(3 * MiB);

    await tuspyUpload(endpoint, alice.bearer, file, 'py-resumed.bin', url);
    expect(await readyFile('py-resumed.bin')).toMatchObject({
      size: data.length,
      sha256: sha256(data),
    });
  });

  it('uploads a whole file from scratch', async () => {
    const data = randomBytes(5 * MiB + 1);
    const file = path.join(dir.path, 'fresh.bin');
    await writeFile(file, data);
    await tuspyUpload(endpoint, alice.bearer, file, 'py-fresh.bin');
    expect(await readyFile('py-fresh.bin')).toMatchObject({
      size: data.length,
      sha256: sha256(data),
    });
  });
});
