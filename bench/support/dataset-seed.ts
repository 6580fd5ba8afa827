/**
 * Bulk seeding for the dataset benchmark: documents shaped as the application's schemas store
 * them, written straight into the database with unordered `insertMany` batches (no HTTP, no
 * mongoose validation), so a million rows take minutes rather than hours.
 */
import { randomBytes } from 'node:crypto';
import { type mongo, Types } from 'mongoose';
import { GENESIS_HASH, hashEvent } from '@strongroom/audit';
import { nameSearchKeys } from '@strongroom/files';
import { emailSkeleton, userSearchKeys } from '@strongroom/users';

type Db = mongo.Db;
type Doc = Record<string, unknown>;
/** A seeded document: its id is made here, so later seeds can point at it. */
export type Seeded = Doc & { _id: Types.ObjectId };

const ADJECTIVES = ['annual', 'blue', 'draft', 'final', 'quiet', 'rapid', 'signed', 'urgent'];
const NOUNS = [
  'budget',
  'contract',
  'diagram',
  'invoice',
  'minutes',
  'photo',
  'report',
  'roadmap',
  'scan',
  'summary',
];
const EXTENSIONS = ['pdf', 'docx', 'png', 'xlsx', 'txt'];
const DAY_MS = 86_400_000;

/** A file name as people make them: `quiet-invoice-1234.pdf`; every noun is in a tenth of them. */
export function seededFileName(i: number): string {
  const noun = NOUNS[i % NOUNS.length];
  const adjective = ADJECTIVES[Math.floor(i / NOUNS.length) % ADJECTIVES.length];
  return `${adjective}-${noun}-${i}.${EXTENSIONS[i % EXTENSIONS.length]}`;
}

export interface SeedRate {
  what: string;
  count: number;
  seconds: number;
}

/** Inserts `count` documents made by `make(i)` in unordered batches; returns how fast it went. */
export async function insertInBatches(
  db: Db,
  collection: string,
  count: number,
  batch: number,
  make: (i: number) => Doc,
  onProgress?: (done: number) => void,
): Promise<SeedRate> {
  const started = performance.now();
  for (let from = 0; from < count; from += batch) {
    const docs: Doc[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) docs.push(make(i));
    await db.collection(collection).insertMany(docs, { ordered: false });
    onProgress?.(from + docs.length);
  }
  return { what: collection, count, seconds: (performance.now() - started) / 1000 };
}

export function seededUser(i: number, passwordHash: string, createdAt: Date): Seeded {
  const email = `seed-user-${i}@example.com`;
  const displayName = `Seed User ${i}`;
  return {
    _id: new Types.ObjectId(),
    email,
    emailSkeleton: emailSkeleton(email),
    displayName,
    searchKeys: userSearchKeys(email, displayName),
    passwordHash,
    role: 'user',
    disabled: false,
    tokenVersion: 0,
    quota: null,
    storageUsed: 0,
    notifyOnLinkDownload: false,
    createdAt,
    updatedAt: createdAt,
  };
}

export function seededFile(i: number, uploader: Types.ObjectId, uploadedAt: Date): Seeded {
  return {
    _id: new Types.ObjectId(),
    uploader,
    name: seededFileName(i),
    nameKeys: nameSearchKeys(seededFileName(i)),
    size: (i * 7919) % 50_000_000,
    contentType: 'application/octet-stream',
    sha256: randomBytes(32).toString('hex'),
    storageDriver: 'local',
    storageKey: `seed/${new Types.ObjectId().toHexString()}`,
    status: 'ready',
    createdAt: uploadedAt,
    uploadedAt,
  };
}

export function seededLink(fileId: Types.ObjectId, ownerId: Types.ObjectId, at: Date): Seeded {
  return {
    _id: new Types.ObjectId(),
    fileId,
    bundleId: null,
    ownerId,
    tokenHash: randomBytes(32).toString('hex'),
    expiresAt: new Date(at.getTime() + 30 * DAY_MS),
    maxDownloads: null,
    passwordHash: null,
    recipients: [],
    revokedAt: null,
    createdAt: at,
  };
}

const EVENT_MIX = [
  ['login_succeeded', 30],
  ['file_downloaded', 25],
  ['file_uploaded', 15],
  ['link_downloaded', 10],
  ['link_created', 8],
  ['share_created', 6],
  ['login_failed', 4],
  ['file_deleted', 2],
] as const;
const EVENT_WHEEL = EVENT_MIX.flatMap(([type, weight]) => Array<string>(weight).fill(type));

export interface EventSeed {
  /** The first seq to use: one past the newest event the application wrote. */
  firstSeq: number;
  prevHash: string;
  /** The events' times run evenly from here to `until`, in seq order, as a real trail's do. */
  since: Date;
  until: Date;
  users: readonly Types.ObjectId[];
  files: readonly Types.ObjectId[];
  /** One event in `hotEvery` is a download of this file: the access ledger that is measured. */
  hotFile: Types.ObjectId;
  hotEvery: number;
}

/**
 * Audit events that continue the application's hash chain, so `verify` still holds after the seed
 * (the application's next append finds the seeded head through its unique `seq`).
 */
export function eventMaker(seed: EventSeed, count: number): (i: number) => Doc {
  let prevHash = seed.prevHash;
  const span = seed.until.getTime() - seed.since.getTime();
  return (i) => {
    const type = i % seed.hotEvery === 0 ? 'file_downloaded' : EVENT_WHEEL[i % EVENT_WHEEL.length];
    const user = seed.users[(i * 31) % seed.users.length].toHexString();
    const file = i % seed.hotEvery === 0 ? seed.hotFile : seed.files[(i * 17) % seed.files.length];
    const target = type.startsWith('login') ? { userId: user } : { fileId: file.toHexString() };
    const unhashed = {
      seq: seed.firstSeq + i,
      at: new Date(seed.since.getTime() + Math.floor((span * i) / count)),
      type,
      actor: { userId: user, ip: `10.${i % 250}.${(i >> 8) % 250}.${i % 200}` },
      target,
      outcome: type === 'login_failed' ? 'failure' : 'success',
      details: {},
    };
    const hash = hashEvent(prevHash, unhashed);
    const event = { ...unhashed, prevHash, hash };
    prevHash = hash;
    return event;
  };
}

export { GENESIS_HASH };
