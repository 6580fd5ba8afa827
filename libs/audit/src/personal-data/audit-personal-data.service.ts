import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AuditActor, AuditDetails, AuditTarget } from '../audit-event.schema';
import { AuditSubjectKeys } from './audit-subject-keys.service';

/** What auditors see in place of a field whose subject has been erased. */
export const ERASED_SUBJECT = 'erased subject';

/**
 * Detail fields that hold personal data: addresses (a link's named recipient's too, sealed under
 * the link owner's key, since the recipient has no account of their own), names (of files, keys,
 * passkeys), devices.
 */
export const PERSONAL_DETAILS = ['email', 'recipient', 'name', 'fileName', 'userAgent'] as const;

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^pii:v1:([0-9a-f]{24}):([A-Za-z0-9+/]+={0,2})$/;

interface PersonalParts {
  actor: AuditActor;
  target: AuditTarget;
  details: AuditDetails;
}

const aad = (subjectId: string, field: string) =>
  Buffer.from(`strongroom-audit-pii\u0000${subjectId}\u0000${field}`, 'utf8');

function seal(value: string, key: Buffer, subjectId: string, field: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(subjectId, field));
  const sealed = Buffer.concat([
    iv,
    cipher.update(value, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `pii:v1:${subjectId}:${sealed.toString('base64')}`;
}

function open(sealed: Buffer, key: Buffer, subjectId: string, field: string): string | undefined {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad(subjectId, field));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Crypto-shredding of the audit trail's personal data. Before an event is hashed and stored, its
 * personal fields (the actor's IP address, and the detail fields in PERSONAL_DETAILS) are sealed
 * under a key of the person they are about: the IP under the actor's, details under the target
 * account's (else the actor's). The chain hashes the sealed form, so destroying a person's key
 * (erasure) leaves every hash intact while their data can no longer be read; fields without an
 * account to belong to (an anonymous link download's address) stay as they are. Ids stay clear:
 * they are what the trail is queried by, and say nothing once the account is gone.
 */
@Injectable()
export class AuditPersonalData {
  constructor(private readonly keys: AuditSubjectKeys) {}

  /** The parts as they are to be stored; an erased subject's personal fields are left out. */
  async seal<T extends PersonalParts>(parts: T): Promise<T> {
    const actor = { ...parts.actor };
    const details = { ...parts.details };
    const ipSubject = actor.userId ?? parts.target.userId;
    if (actor.ip !== undefined && ipSubject) {
      const key = await this.keys.sealingKey(ipSubject);
      if (key) actor.ip = seal(actor.ip, key, ipSubject, 'actor.ip');
      else delete actor.ip;
      key?.fill(0);
    }
    const detailSubject = parts.target.userId ?? actor.userId;
    const personal = PERSONAL_DETAILS.filter((field) => typeof details[field] === 'string');
    if (personal.length > 0 && detailSubject) {
      const key = await this.keys.sealingKey(detailSubject);
      for (const field of personal) {
        if (key)
          details[field] = seal(details[field] as string, key, detailSubject, `details.${field}`);
        else delete details[field];
      }
      key?.fill(0);
    }
    return { ...parts, actor, details };
  }

  /**
   * Stored events with their sealed fields opened, for those allowed to read them; a field whose
   * subject was erased reads ERASED_SUBJECT. Fields stored before sealing began stay as stored.
   */
  async reveal<T extends object>(stored: readonly T[]): Promise<T[]> {
    const events = stored as readonly (T & Partial<PersonalParts>)[];
    const subjects = new Set<string>();
    const visit = (
      event: Partial<PersonalParts>,
      each: (value: string, path: 'actor' | 'details', field: string) => void,
    ) => {
      if (typeof event.actor?.ip === 'string') each(event.actor.ip, 'actor', 'ip');
      for (const field of PERSONAL_DETAILS) {
        const value = event.details?.[field];
        if (typeof value === 'string') each(value, 'details', field);
      }
    };
    for (const event of events) {
      visit(event, (value) => {
        const match = SEALED.exec(value);
        if (match) subjects.add(match[1]);
      });
    }
    if (subjects.size === 0) return [...events];
    const keys = await this.keys.openingKeys(subjects);
    try {
      return events.map((event) => {
        const revealed = { ...event, actor: { ...event.actor }, details: { ...event.details } };
        visit(event, (value, path, field) => {
          const match = SEALED.exec(value);
          if (!match) return;
          const key = keys.get(match[1]);
          const opened =
            key && open(Buffer.from(match[2], 'base64'), key, match[1], `${path}.${field}`);
          (revealed[path] as Record<string, unknown>)[field] = opened ?? ERASED_SUBJECT;
        });
        return revealed;
      });
    } finally {
      for (const key of keys.values()) key.fill(0);
    }
  }
}
