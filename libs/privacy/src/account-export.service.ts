import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { type Document, type Filter, ObjectId, type Sort } from 'mongodb';
import type { Connection } from 'mongoose';
import { AuditPersonalData } from '@strongroom/audit';
import { DependencyUnavailableError } from '@strongroom/common';

export const ACCOUNT_EXPORT_FORMAT = 'strongroom-account-export/1';

type Row = Record<string, unknown>;

/**
 * One section of the export: where its documents live, which of them are the caller's, and the
 * fields that may leave, named one by one. An allow-list, so a field added to a collection later
 * (a hash, a wrapped key) never slips into an export unseen.
 */
interface Section {
  name: string;
  collection: string;
  filter: (userId: string) => Filter<Document>;
  fields: string[];
  /** Read to compute an exported field, never exported themselves (shape removes them). */
  alsoReads?: string[];
  sort: Sort;
  shape?: (row: Row, userId: string) => Row;
  /** The audit events' personal fields are stored sealed: they leave opened. */
  sealed?: boolean;
}

const byId = (userId: string) => ({ _id: new ObjectId(userId) });
/** Sealed rows opened together, so their keys are read once per batch. */
const REVEAL_BATCH = 200;

const SECTIONS: Section[] = [
  {
    name: 'files',
    collection: 'files',
    filter: (userId) => ({ uploader: new ObjectId(userId) }),
    fields: [
      'name',
      'size',
      'contentType',
      'sha256',
      'status',
      'createdAt',
      'uploadedAt',
      'uploadRequestId',
    ],
    sort: { _id: 1 },
  },
  {
    name: 'sharesGiven',
    collection: 'shares',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    fields: ['fileId', 'userId', 'email', 'createdAt'],
    sort: { _id: 1 },
  },
  {
    name: 'sharesReceived',
    collection: 'shares',
    filter: (userId) => ({ userId: new ObjectId(userId) }),
    fields: ['fileId', 'ownerId', 'createdAt'],
    sort: { _id: 1 },
  },
  {
    name: 'groupSharesGiven',
    collection: 'group_shares',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    fields: ['fileId', 'groupId', 'createdAt'],
    sort: { _id: 1 },
  },
  {
    name: 'groupMemberships',
    collection: 'group_members',
    filter: (userId) => ({ userId: new ObjectId(userId) }),
    fields: ['groupId', 'addedAt'],
    sort: { _id: 1 },
  },
  {
    name: 'links',
    collection: 'share_links',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    // Downloads are counted as slots elsewhere; each one is in auditEvents.
    fields: [
      'fileId',
      'bundleId',
      'expiresAt',
      'maxDownloads',
      'recipients',
      'revokedAt',
      'createdAt',
    ],
    alsoReads: ['passwordHash'],
    sort: { _id: 1 },
    // Whether there is a password, never its hash (nor the token's).
    shape: (row) => ({ ...row, hasPassword: row.passwordHash != null, passwordHash: undefined }),
  },
  {
    name: 'uploadRequests',
    collection: 'upload_requests',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    // The files each brought are in `files` (uploadRequestId); arrivals are in auditEvents.
    fields: ['title', 'message', 'expiresAt', 'maxFiles', 'maxTotalSize', 'closedAt', 'createdAt'],
    alsoReads: ['passwordHash'],
    sort: { _id: 1 },
    shape: (row) => ({ ...row, hasPassword: row.passwordHash != null, passwordHash: undefined }),
  },
  {
    name: 'bundles',
    collection: 'bundles',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    fields: ['name', 'createdAt', 'updatedAt'],
    sort: { _id: 1 },
  },
  {
    name: 'bundleItems',
    collection: 'bundle_items',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    fields: ['bundleId', 'fileId', 'position'],
    sort: { bundleId: 1, position: 1 },
  },
  {
    name: 'bundleSharesGiven',
    collection: 'bundle_shares',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    fields: ['bundleId', 'userId', 'email', 'groupId', 'createdAt'],
    sort: { _id: 1 },
  },
  {
    name: 'bundleSharesReceived',
    collection: 'bundle_shares',
    filter: (userId) => ({ userId: new ObjectId(userId) }),
    fields: ['bundleId', 'ownerId', 'createdAt'],
    sort: { _id: 1 },
  },
  {
    name: 'sessions',
    collection: 'sessions',
    filter: (userId) => ({ userId }),
    // Never a refresh token's hash.
    fields: ['createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt', 'ip', 'device', 'userAgent'],
    sort: { createdAt: 1 },
  },
  {
    name: 'apiKeys',
    collection: 'api_keys',
    filter: (userId) => ({ userId }),
    // Never the secret's hash.
    fields: ['name', 'scopes', 'hint', 'expiresAt', 'createdAt', 'lastUsedAt', 'lastUsedIp'],
    sort: { createdAt: 1 },
  },
  {
    name: 'secondFactors',
    collection: 'mfa_totp_factors',
    filter: (userId) => ({ userId }),
    fields: ['confirmedAt', 'createdAt'],
    alsoReads: ['recoveryCodeHashes'],
    sort: { createdAt: 1 },
    // That there is a factor and how many recovery codes it got, never the secret or the hashes.
    shape: (row) => ({
      ...row,
      type: 'totp',
      recoveryCodes: Array.isArray(row.recoveryCodeHashes) ? row.recoveryCodeHashes.length : 0,
      recoveryCodeHashes: undefined,
    }),
  },
  {
    name: 'passkeys',
    collection: 'passkeys',
    filter: (userId) => ({ userId }),
    // What a person can tell their passkeys apart by; the public key and credential id stay.
    fields: ['name', 'transports', 'deviceType', 'backedUp', 'createdAt', 'lastUsedAt'],
    sort: { createdAt: 1 },
  },
  {
    name: 'linkedIdentities',
    collection: 'oidc_identities',
    filter: (userId) => ({ userId }),
    fields: ['issuer', 'subject', 'email', 'lastSignInAt', 'createdAt'],
    sort: { createdAt: 1 },
  },
  {
    name: 'webhookEndpoints',
    collection: 'webhook_endpoints',
    filter: (userId) => ({ ownerId: new ObjectId(userId) }),
    // Never the signing secret, sealed or not.
    fields: ['url', 'description', 'events', 'scope', 'disabledAt', 'disabledReason', 'createdAt'],
    sort: { _id: 1 },
  },
  {
    name: 'auditEvents',
    collection: 'audit_events',
    filter: (userId) => ({ $or: [{ 'actor.userId': userId }, { 'target.userId': userId }] }),
    fields: ['seq', 'at', 'type', 'actor', 'target', 'outcome', 'requestId', 'details'],
    sort: { seq: 1 },
    sealed: true,
    // When someone else acted on the caller (an admin), their address is theirs, not the caller's.
    // Empty objects are not stored (mongoose minimizes them), yet every event has all three.
    shape: (row, userId) => {
      const actor = (row.actor ?? {}) as Row;
      return {
        ...row,
        actor: actor.userId === userId ? actor : { ...actor, ip: undefined },
        target: row.target ?? {},
        details: row.details ?? {},
      };
    },
  },
];

const ACCOUNT_FIELDS = [
  'email',
  'displayName',
  'role',
  'disabled',
  'quota',
  'storageUsed',
  'createdAt',
  'updatedAt',
  'lastLoginAt',
  'notifyOnLinkDownload',
];

/** `_id` as `id`, ObjectIds and dates as JSON has them. */
function publicRow(document: Document): Row {
  const { _id, ...rest } = document;
  return _id === undefined ? rest : { id: String(_id), ...rest };
}

const projection = (fields: string[], extra: string[] = []) =>
  Object.fromEntries([...fields, ...extra].map((field) => [field, 1]));

/**
 * Everything Strongroom keeps about one account (GDPR right of access), as one JSON document
 * written piece by piece from database cursors, so a long history never sits in memory. Password,
 * token and link hashes are never part of it.
 */
@Injectable()
export class AccountExportService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly auditPersonalData: AuditPersonalData,
  ) {}

  /** Resolves once the account has been read, so a failure can still be an HTTP error. */
  async open(userId: string): Promise<AsyncIterable<string> | undefined> {
    const account = await this.db()
      .collection('users')
      .findOne(byId(userId), { projection: projection(ACCOUNT_FIELDS) });
    if (!account) return undefined;
    return this.write(userId, publicRow(account));
  }

  private async *write(userId: string, account: Row): AsyncIterable<string> {
    const head = { format: ACCOUNT_EXPORT_FORMAT, exportedAt: new Date(), account };
    yield JSON.stringify(head).slice(0, -1);
    for (const section of SECTIONS) {
      yield `,${JSON.stringify(section.name)}:[`;
      let first = true;
      for await (const row of this.rows(section, userId)) {
        yield `${first ? '' : ','}${JSON.stringify(row)}`;
        first = false;
      }
      yield ']';
    }
    yield '}\n';
  }

  private async *rows(section: Section, userId: string): AsyncIterable<Row> {
    const cursor = this.db()
      .collection(section.collection)
      .find(section.filter(userId), {
        projection: projection(section.fields, section.alsoReads),
        sort: section.sort,
      });
    const batch: Row[] = [];
    for await (const document of cursor) {
      batch.push(publicRow(document));
      if (batch.length >= REVEAL_BATCH) yield* await this.shaped(section, userId, batch.splice(0));
    }
    yield* await this.shaped(section, userId, batch);
  }

  private async shaped(section: Section, userId: string, rows: Row[]): Promise<Row[]> {
    const opened = section.sealed ? await this.auditPersonalData.reveal(rows) : rows;
    return section.shape ? opened.map((row) => section.shape!(row, userId)) : opened;
  }

  private db() {
    const db = this.connection.db;
    if (!db) throw new DependencyUnavailableError('database');
    return db;
  }
}
