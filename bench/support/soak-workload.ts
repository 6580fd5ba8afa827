/**
 * The soak benchmark's mixed workload: N people, each signed in with an account of their own,
 * each running one operation after another until the deadline, picked at random by weight: sign
 * in again, list, upload 1–10 MiB, download whole or a range (SHA-256 checked against what was
 * uploaded), create a link, use someone's link (anonymously, hash checked), share a file with
 * another person. Each keeps at most MAX_OWN_FILES files; an upload beyond that deletes the
 * oldest, so the disk stays bounded over ten minutes. A file being deleted is first withdrawn
 * from everyone's reach and deleted once no operation on it is in flight, so a 404 is always an
 * error of the server's, never of the driver's bookkeeping.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { patternRangeSha256, SoakClient } from './soak-client';

const MiB = 1024 * 1024;
const MIN_UPLOAD = 1 * MiB;
const MAX_UPLOAD = 10 * MiB;
const MAX_RANGE = 256 * 1024;
const MAX_OWN_FILES = 3;
const PASSWORD = 'copper kettle orbit lantern 42';
const SIGN_UP_BATCH = 8;
const MAX_ERROR_SAMPLES = 12;

export const OPERATIONS = [
  'sign in',
  'list',
  'upload',
  'download',
  'download range',
  'create link',
  'use link',
  'share',
  'delete',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Relative weights of the operations a person picks; `delete` follows uploads instead. */
const WEIGHTS: ReadonlyArray<[Operation, number]> = [
  ['sign in', 4],
  ['list', 16],
  ['upload', 10],
  ['download', 14],
  ['download range', 20],
  ['create link', 6],
  ['use link', 14],
  ['share', 6],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);

interface SoakFile {
  id: string;
  size: number;
  streamId: number;
  sha256: string;
  owner: Person;
  sharedWith: Set<Person>;
  /** Operations under way on it; a deletion waits for 0. */
  inFlight: number;
  withdrawn: boolean;
}

interface SoakLink {
  token: string;
  file: SoakFile;
}

interface Person {
  email: string;
  client: SoakClient;
  bearer: string;
  own: SoakFile[];
  shared: SoakFile[];
  /**
   * An upload or a delete failed: the server may have done it anyway (a proxy's 504 hides its
   * answer), so this person's file count is no longer known exactly.
   */
  ownCountUnknown: boolean;
}

export interface OperationStats {
  /** Milliseconds of each operation that succeeded. */
  durationsMs: number[];
  errors: number;
}

const random = (below: number) => Math.floor(Math.random() * below);
const pickOne = <T>(items: readonly T[]): T | undefined =>
  items.length ? items[random(items.length)] : undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const remove = <T>(items: T[], item: T) => {
  const index = items.indexOf(item);
  if (index >= 0) items.splice(index, 1);
};

export class SoakWorkload {
  readonly stats = new Map<Operation, OperationStats>(
    OPERATIONS.map((op) => [op, { durationsMs: [], errors: 0 }]),
  );
  mismatches = 0;
  readonly errorSamples: string[] = [];
  private people: Person[] = [];
  private links: SoakLink[] = [];
  private nextStreamId = 1;

  constructor(
    private readonly baseUrl: string,
    private readonly clients: number,
  ) {}

  /** Registers and signs in every person (not timed), a batch at a time. */
  async signUp(): Promise<void> {
    const run = randomBytes(4).toString('hex');
    for (let first = 0; first < this.clients; first += SIGN_UP_BATCH) {
      const batch = Array.from(
        { length: Math.min(SIGN_UP_BATCH, this.clients - first) },
        async (_, offset) => {
          const index = first + offset;
          // Each person comes from an address of their own, as through a proxy (TEST-NET ranges).
          const ip = `198.51.${100 + (index >> 8)}.${index & 255}`;
          const client = new SoakClient(this.baseUrl, ip);
          const email = `soak-${run}-${index}@example.com`;
          await client.json('POST', '/api/v1/auth/register', 201, undefined, {
            email,
            password: PASSWORD,
          });
          const person: Person = {
            email,
            client,
            bearer: '',
            own: [],
            shared: [],
            ownCountUnknown: false,
          };
          await this.signIn(person);
          return person;
        },
      );
      this.people.push(...(await Promise.all(batch)));
    }
  }

  /** Every person runs operations until `deadline` (performance.now()); resolves when all stopped. */
  async run(deadline: number): Promise<void> {
    await Promise.all(
      this.people.map(async (person) => {
        while (performance.now() < deadline) await this.step(person);
      }),
    );
  }

  close(): void {
    for (const person of this.people) person.client.close();
  }

  private async step(person: Person): Promise<void> {
    let ticket = random(TOTAL_WEIGHT);
    let op: Operation = 'upload';
    for (const [candidate, weight] of WEIGHTS) {
      if (ticket < weight) {
        op = candidate;
        break;
      }
      ticket -= weight;
    }
    const readable = [...person.own, ...person.shared];
    if (person.own.length === 0 && op !== 'sign in' && op !== 'list') op = 'upload';
    switch (op) {
      case 'sign in':
        return this.timed(op, () => this.signIn(person));
      case 'list':
        return this.timed(op, () => this.list(person));
      case 'upload':
        return this.timed(op, () => this.upload(person));
      case 'download':
      case 'download range': {
        const file = pickOne(readable);
        if (!file) return this.timed('upload', () => this.upload(person));
        return this.timed(op, () => this.holding(file, () => this.download(person, file, op)));
      }
      case 'create link':
        return this.timed(op, () => this.createLink(person));
      case 'use link': {
        const link = pickOne(this.links);
        if (!link) return this.timed('create link', () => this.createLink(person));
        return this.timed(op, () => this.holding(link.file, () => this.useLink(person, link)));
      }
      case 'share':
        return this.timed(op, () => this.share(person));
      case 'delete':
        return;
    }
  }

  private async timed(op: Operation, action: () => Promise<void>): Promise<void> {
    const stats = this.stats.get(op)!;
    const start = performance.now();
    try {
      await action();
      stats.durationsMs.push(performance.now() - start);
    } catch (error) {
      stats.errors++;
      this.sample(`${op}: ${(error as Error).message}`);
    }
  }

  private sample(message: string): void {
    if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(message);
  }

  private check(op: Operation, what: string, got: unknown, expected: unknown): void {
    if (got === expected) return;
    this.mismatches++;
    this.sample(`${op}: ${what} ${String(got)}, expected ${String(expected)}`);
  }

  /** Counts an operation on `file` as in flight (from the synchronous pick on) until it ends. */
  private async holding(file: SoakFile, action: () => Promise<void>): Promise<void> {
    file.inFlight++;
    try {
      await action();
    } finally {
      file.inFlight--;
    }
  }

  private async signIn(person: Person): Promise<void> {
    const answer = (await person.client.json('POST', '/api/v1/auth/login', 200, undefined, {
      email: person.email,
      password: PASSWORD,
    })) as { accessToken: string };
    person.bearer = `Bearer ${answer.accessToken}`;
  }

  private async list(person: Person): Promise<void> {
    const mine = Math.random() < 0.5;
    const answer = (await person.client.json(
      'GET',
      `/api/v1/files?scope=${mine ? 'mine' : 'shared'}&limit=20`,
      200,
      person.bearer,
    )) as { total: number };
    // Only this person's own loop changes their files, so the count must be exact.
    if (mine && !person.ownCountUnknown)
      this.check('list', 'own files listed', answer.total, person.own.length);
  }

  private async upload(person: Person): Promise<void> {
    const size = MIN_UPLOAD + random(MAX_UPLOAD - MIN_UPLOAD + 1);
    const streamId = this.nextStreamId++;
    const { body, sha256 } = await person.client
      .upload(person.bearer, `soak-${streamId}.bin`, size, streamId)
      .catch((error: unknown) => {
        person.ownCountUnknown = true;
        throw error;
      });
    const answer = body as { id: string; size: number; sha256: string };
    this.check('upload', 'stored SHA-256', answer.sha256, sha256);
    this.check('upload', 'stored size', answer.size, size);
    person.own.push({
      id: answer.id,
      size,
      streamId,
      sha256,
      owner: person,
      sharedWith: new Set(),
      inFlight: 0,
      withdrawn: false,
    });
    if (person.own.length > MAX_OWN_FILES) {
      const oldest = person.own[0];
      await this.timed('delete', () => this.delete(oldest));
    }
  }

  private async download(
    person: Person,
    file: SoakFile,
    op: 'download' | 'download range',
  ): Promise<void> {
    const path = `/api/v1/files/${file.id}/content`;
    if (op === 'download') {
      const got = await person.client.download(path, person.bearer);
      this.check(op, 'SHA-256', got.sha256, file.sha256);
      return;
    }
    const start = random(file.size);
    const end = Math.min(file.size - 1, start + random(MAX_RANGE));
    const got = await person.client.download(path, person.bearer, `bytes=${start}-${end}`);
    this.check(op, 'bytes', got.bytes, end - start + 1);
    this.check(op, 'SHA-256', got.sha256, await patternRangeSha256(file.streamId, start, end));
  }

  private async createLink(person: Person): Promise<void> {
    const file = pickOne(person.own);
    if (!file) return;
    await this.holding(file, async () => {
      const answer = (await person.client.json(
        'POST',
        `/api/v1/files/${file.id}/links`,
        201,
        person.bearer,
        {},
      )) as { token: string };
      if (!file.withdrawn) this.links.push({ token: answer.token, file });
    });
  }

  private async useLink(person: Person, link: SoakLink): Promise<void> {
    const info = (await person.client.json('GET', `/api/v1/public/links/${link.token}`, 200)) as {
      size: number;
    };
    this.check('use link', 'size', info.size, link.file.size);
    const got = await person.client.download(`/api/v1/public/links/${link.token}/content`);
    this.check('use link', 'SHA-256', got.sha256, link.file.sha256);
  }

  private async share(person: Person): Promise<void> {
    const file = pickOne(person.own);
    const others = this.people.filter((other) => other !== person && !file?.sharedWith.has(other));
    const recipient = pickOne(others);
    if (!file || !recipient) return;
    file.sharedWith.add(recipient);
    await this.holding(file, async () => {
      await person.client.json('POST', `/api/v1/files/${file.id}/shares`, 201, person.bearer, {
        email: recipient.email,
      });
    });
    if (!file.withdrawn) recipient.shared.push(file);
  }

  private async delete(file: SoakFile): Promise<void> {
    file.withdrawn = true;
    remove(file.owner.own, file);
    for (const recipient of file.sharedWith) remove(recipient.shared, file);
    this.links = this.links.filter((link) => link.file !== file);
    while (file.inFlight > 0) await sleep(10);
    await file.owner.client
      .json('DELETE', `/api/v1/files/${file.id}`, 204, file.owner.bearer)
      .catch((error: unknown) => {
        file.owner.ownCountUnknown = true;
        throw error;
      });
  }
}
