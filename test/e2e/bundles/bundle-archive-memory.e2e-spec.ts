import path from 'node:path';
import {
  compileForChildren,
  createTempDir,
  type TempDir,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import {
  createBundleLink,
  downloadToFile,
  uploadPatternFile,
} from '../../../bench/support/bundle-api';
import { type OurServer, startOurServer } from '../../../bench/support/our-server';
import { patternSha256 } from '../../../bench/support/pattern-stream';
import { sampleRss } from '../../../bench/support/rss-sampler';
import { inspectZip } from '../../support/zip';

const MIB = 1024 * 1024;
// 300 MiB in three files of different sizes, each with its own bytes.
const FILES = [
  { name: 'one.bin', size: 120 * MIB, streamId: 1 },
  { name: 'two.bin', size: 100 * MIB, streamId: 2 },
  { name: 'one.bin', size: 80 * MIB, streamId: 3 },
];
const RSS_LIMIT = 64 * MIB;

/**
 * The real application, compiled, in its own process (as the transfer benchmark runs it), so the
 * RSS watched is the server's alone and not this test's.
 */
describe('a bundle of 300 MiB downloaded as one ZIP', () => {
  let temp: TempDir;
  let server: OurServer | undefined;
  beforeAll(async () => {
    temp = await createTempDir('bundle-zip-memory');
    const compiled = await compileForChildren(
      path.resolve(__dirname, '../../..'),
      path.join(temp.path, 'build'),
    );
    const mongoUrl = uniqueTestDatabaseUrl(testServerUrl());
    server = await startOurServer(
      'bundle-zip',
      path.join(temp.path, 'server'),
      mongoUrl,
      {},
      compiled,
      [],
    );
  }, 240_000);
  afterAll(async () => {
    await server?.child.stop();
    await temp.remove();
  });

  it('keeps the server’s RSS growth under 64 MiB, and Python reads every entry intact', async () => {
    const { baseUrl, authorization } = server!;
    const fileIds: string[] = [];
    for (const file of FILES) {
      fileIds.push(
        await uploadPatternFile(baseUrl, authorization, file.size, file.streamId, file.name),
      );
    }
    const token = await createBundleLink(baseUrl, authorization, 'big', fileIds);
    const zipFile = path.join(temp.path, 'big.zip');

    const rss = sampleRss(server!.pid);
    const { bytes } = await downloadToFile(
      `${baseUrl}/api/v1/public/links/${token}/archive`,
      zipFile,
    );
    const { growth } = rss.stop();

    expect(bytes).toBeGreaterThan(300 * MIB);
    expect(growth).toBeLessThan(RSS_LIMIT);
    const zip = await inspectZip(zipFile);
    expect(zip.firstBadEntry).toBeNull();
    expect(zip.entries).toEqual([
      {
        name: 'one.bin',
        size: FILES[0].size,
        compressType: 0,
        sha256: patternSha256(FILES[0].size, 1),
      },
      {
        name: 'two.bin',
        size: FILES[1].size,
        compressType: 0,
        sha256: patternSha256(FILES[1].size, 2),
      },
      {
        name: 'one (2).bin',
        size: FILES[2].size,
        compressType: 0,
        sha256: patternSha256(FILES[2].size, 3),
      },
    ]);
  }, 600_000);
});
