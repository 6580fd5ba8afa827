import {
  ARCHIVE_FORMAT_VERSION,
  compareVersions,
  InvalidArchiveError,
  type Manifest,
  parseManifest,
} from './archive-manifest';

const SHA = 'a'.repeat(64);

function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const valid: Manifest = {
    format: 'strongroom-backup',
    formatVersion: ARCHIVE_FORMAT_VERSION,
    appVersion: '0.1.0',
    createdAt: '2026-01-31T12:00:00.000Z',
    storage: { driver: 'local', blobsIncluded: true },
    collections: [
      {
        name: 'users',
        file: 'collections/users.ndjson',
        documents: 3,
        sha256: SHA,
        indexes: [{ name: 'email_1', key: { email: 1 }, unique: true }],
      },
    ],
    blobs: { file: 'blobs.ndjson', count: 0, sha256: SHA },
  };
  return { ...valid, ...overrides };
}

const parse = (value: unknown) => () => parseManifest(JSON.stringify(value));

describe('parseManifest', () => {
  it('accepts what backup writes', () => {
    expect(parseManifest(JSON.stringify(manifest()))).toEqual(manifest());
  });

  it('names a misspelt field and the missing one it stands for', () => {
    const { collections } = manifest() as { collections: Record<string, unknown>[] };
    const { documents, ...rest } = collections[0];
    expect(parse(manifest({ collections: [{ ...rest, documnets: documents }] }))).toThrow(
      "manifest.json: collections[0].documents: Required; collections[0]: Unrecognized key(s) in object: 'documnets'",
    );
  });

  it('lists every problem at once', () => {
    expect(parse(manifest({ storage: { driver: 'ftp', blobsIncluded: 'yes' } }))).toThrow(
      /storage\.driver: .*'local' \| 's3' \| 'gcs'.*; storage\.blobsIncluded: Expected boolean/,
    );
  });

  it.each([
    ['a path out of the archive', { file: 'collections/../../etc/passwd.ndjson' }],
    ['a system collection', { name: 'system.users' }],
    ['a negative count', { documents: -1 }],
    ['a checksum that is not one', { sha256: 'abc' }],
  ])('refuses %s', (_case, change) => {
    const { collections } = manifest() as { collections: Record<string, unknown>[] };
    expect(parse(manifest({ collections: [{ ...collections[0], ...change }] }))).toThrow(
      InvalidArchiveError,
    );
  });

  it('refuses a collection listed twice', () => {
    const { collections } = manifest() as { collections: unknown[] };
    expect(parse(manifest({ collections: [collections[0], collections[0]] }))).toThrow(
      'manifest.json: collection users is listed twice',
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseManifest('{"format": "strongroom-back')).toThrow(
      'manifest.json is not valid JSON (a truncated or hand-edited manifest?)',
    );
  });
});

describe('compareVersions', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.2.0', '0.10.0', -1],
    ['1.0.0', '0.99.99', 1],
    ['1.2.3-rc.1', '1.2.3', 0],
  ])('%s against %s is %d', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
