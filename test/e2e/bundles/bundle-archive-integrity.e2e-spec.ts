import { DEFAULT_CHUNK_SIZE } from '@strongroom/encryption';
import { type Account, signUp } from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { damageStoredBlob, upload } from '../../support/files';
import { rawGet } from '../../support/raw-http';
import { createTestApp, type TestApp } from '../../support/test-app';

const TAG = 16;

describe('a bundle ZIP with a damaged file', () => {
  let t: TestApp;
  let owner: Account;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t, 'zip-integrity');
  });
  afterAll(() => t.close());

  async function bundleLink(
    fileIds: string[],
  ): Promise<{ token: string; linkId: string; bundleId: string }> {
    const bundle = await t
      .http()
      .post('/api/v1/bundles')
      .set('Authorization', owner.bearer)
      .send({ name: 'damaged', fileIds })
      .expect(201);
    const link = await t
      .http()
      .post(`/api/v1/bundles/${bundle.body.id as string}/links`)
      .set('Authorization', owner.bearer)
      .send({})
      .expect(201);
    return {
      token: link.body.token as string,
      linkId: link.body.id as string,
      bundleId: bundle.body.id as string,
    };
  }

  it('cuts the archive at the bad chunk and records a file_integrity_failed event for the link', async () => {
    const intact = (await upload(t, owner, Buffer.alloc(1000, 1), 'intact.bin').expect(201)).body
      .id as string;
    const victim = (
      await upload(t, owner, Buffer.alloc(3 * DEFAULT_CHUNK_SIZE + 10, 2), 'victim.bin').expect(201)
    ).body.id as string;
    await damageStoredBlob(t, victim, () => 2 * (DEFAULT_CHUNK_SIZE + TAG) + 100);
    const { token, linkId, bundleId } = await bundleLink([intact, victim]);

    const res = await rawGet(t, `/api/v1/public/links/${token}/archive`);
    expect(res.status).toBe(200);
    expect(res.aborted).toBe(true);
    expect(res.received.length).toBeLessThan(res.contentLength);

    const event = await auditEvent(t, { type: 'file_integrity_failed', 'target.fileId': victim });
    expect(event).toMatchObject({
      outcome: 'failure',
      actor: { linkId },
      details: { bundleId, chunk: 2, responseStarted: true },
    });
  });
});
