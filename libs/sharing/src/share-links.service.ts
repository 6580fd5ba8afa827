import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Request, Response } from 'express';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { SecurityEventsService } from '@strongroom/audit';
import { LoginLockoutService } from '@strongroom/auth';
import {
  type AuthenticatedUser,
  type ClientContext,
  TooManyAttemptsException,
} from '@strongroom/common';
import { LinkDownloadNotifications, RecipientCodeNotifications } from '@strongroom/notifications';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { BundlesService, type BundleWithFiles, sendZipArchive } from '@strongroom/bundles';
import { FilesService, type StoredFileDocument } from '@strongroom/files';
import { admitLink, LinkPolicyService } from '@strongroom/link-policy';
import { PasswordHasher, UsersService } from '@strongroom/users';
import type { CreateLinkRequest, LinkResponse } from './dto/sharing.dto';
import { LinkDownloadSlots } from './link-download-slots';
import { WebhookEvents } from '@strongroom/webhooks';
import { LinkGrantSigner } from './link-grant';
import { hashLinkToken, isWellFormedLinkToken, newLinkToken } from './link-token';
import { CODE_LIFETIME_MINUTES, RecipientCodes } from './recipient-verification/recipient-codes';
import { ShareLink, type ShareLinkDocument } from './share-link.schema';

const GRANT_LIFETIME_SECONDS = 300;
const DEAD_LINK = 'This link does not exist, has expired, was revoked or has been used up';
const NEEDS_VERIFICATION =
  'This link is for named recipients: ask for a code at …/verification and enter it at …/verification/confirm';
/** A 404: a link without named recipients has no verification to ask for. */
const NOT_FOR_RECIPIENTS =
  'This link is not limited to named recipients: it needs no code, download it directly';
const NOT_IN_BUNDLE = 'This file is not (or no longer) in the bundle this link shares';

interface LiveLink {
  link: ShareLinkDocument;
  /** null: the link has no download limit. */
  downloadsLeft: number | null;
}

/** A live link and what it shares now: one ready file, or a bundle and its current files. */
export type ActiveLink =
  | (LiveLink & { kind: 'file'; file: StoredFileDocument })
  | (LiveLink & { kind: 'bundle' } & BundleWithFiles);

/** What a link is created for. */
export type LinkTarget = { fileId: string } | { bundleId: string };

/** A link with the number of downloads counted so far. */
export interface CountedLink {
  link: ShareLinkDocument;
  downloads: number;
}

export function toLinkResponse({ link, downloads }: CountedLink): LinkResponse {
  return {
    id: link.id as string,
    ...(link.fileId ? { fileId: link.fileId.toHexString() } : {}),
    ...(link.bundleId ? { bundleId: link.bundleId.toHexString() } : {}),
    expiresAt: link.expiresAt,
    maxDownloads: link.maxDownloads,
    downloads,
    hasPassword: link.passwordHash !== null,
    recipients: link.recipients ?? [],
    revoked: link.revokedAt !== null,
    createdAt: link.createdAt,
  };
}

@Injectable()
export class ShareLinksService {
  private readonly grants: LinkGrantSigner;

  constructor(
    @InjectModel(ShareLink.name) private readonly links: Model<ShareLink>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly files: FilesService,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockoutService,
    private readonly events: SecurityEventsService,
    private readonly downloads: LinkDownloadSlots,
    private readonly linkPolicies: LinkPolicyService,
    private readonly notifications: LinkDownloadNotifications,
    private readonly webhooks: WebhookEvents,
    private readonly bundles: BundlesService,
    private readonly recipientCodes: RecipientCodes,
    private readonly codeMail: RecipientCodeNotifications,
    private readonly users: UsersService,
  ) {
    this.grants = new LinkGrantSigner(config.auth.secretKey);
  }

  /** A link to a file the caller may share, or to one of the caller's bundles. */
  async create(
    owner: AuthenticatedUser,
    target: LinkTarget,
    input: CreateLinkRequest,
  ): Promise<{ link: ShareLinkDocument; token: string; url: string }> {
    const shared =
      'fileId' in target
        ? { fileId: (await this.files.getAccessible(owner, target.fileId, 'share'))._id }
        : { bundleId: (await this.bundles.owned(owner, target.bundleId))._id };
    const { expiresAt, maxDownloads } = admitLink(
      await this.linkPolicies.effectiveFor(owner),
      input,
    );
    const recipients = [...new Set(input.recipients ?? [])];
    if (recipients.length > 0 && !this.codeMail.available) {
      throw new BadRequestException(
        'Recipients verify their address with a code sent by e-mail, and e-mail is off on this server (SMTP_URL)',
      );
    }
    const token = newLinkToken();
    const link = await this.links.create({
      ...shared,
      ownerId: new Types.ObjectId(owner.id),
      tokenHash: hashLinkToken(token),
      expiresAt,
      maxDownloads,
      passwordHash: input.password ? await this.hasher.hash(input.password) : null,
      recipients,
    });
    // From PUBLIC_URL, never the request's Host: a forged Host would hand out links to another site.
    return { link, token, url: `${this.config.http.publicUrl}/s/${token}` };
  }

  async list(user: AuthenticatedUser, target: LinkTarget): Promise<CountedLink[]> {
    const filter =
      'fileId' in target
        ? { fileId: (await this.files.getAccessible(user, target.fileId, 'modify'))._id }
        : { bundleId: (await this.bundles.owned(user, target.bundleId))._id };
    const links = await this.links.find(filter).sort({ createdAt: 1 }).exec();
    const counts = await this.downloads.counts(links.map((link) => link._id));
    return links.map((link) => ({ link, downloads: counts.get(link.id as string) ?? 0 }));
  }

  async revoke(user: AuthenticatedUser, linkId: string): Promise<ShareLinkDocument> {
    const link = isValidObjectId(linkId) ? await this.links.findById(linkId).exec() : null;
    if (!link) throw new NotFoundException('Link not found');
    await (
      link.fileId
        ? this.files.getAccessible(user, link.fileId.toHexString(), 'modify')
        : this.bundles.owned(user, link.bundleId!.toHexString())
    ).catch((error: unknown) => {
      // Name the link, not its file; any other failure (an outage) keeps its own status.
      if (error instanceof NotFoundException) throw new NotFoundException('Link not found');
      throw error;
    });
    link.revokedAt ??= new Date();
    return link.save();
  }

  /**
   * A live link and what it shares; unknown, expired, revoked and used-up links, and links whose
   * file or bundle is gone, are all 404 alike. A bundle's deleted files are simply not in it.
   */
  async resolve(token: string): Promise<ActiveLink> {
    const link = isWellFormedLinkToken(token)
      ? await this.links
          .findOne({
            tokenHash: hashLinkToken(token),
            revokedAt: null,
            expiresAt: { $gt: new Date() },
          })
          .exec()
      : null;
    const downloadsLeft =
      link?.maxDownloads != null
        ? Math.max(0, link.maxDownloads - (await this.downloads.count(link._id)))
        : null;
    if (!link || downloadsLeft === 0) throw new NotFoundException(DEAD_LINK);
    if (link.bundleId) {
      const bundle = await this.bundles.findWithFiles(link.bundleId);
      if (!bundle) throw new NotFoundException(DEAD_LINK);
      return { kind: 'bundle', link, downloadsLeft, ...bundle };
    }
    const file = link.fileId ? await this.files.findReady(link.fileId) : null;
    if (!file) throw new NotFoundException(DEAD_LINK);
    return { kind: 'file', link, file, downloadsLeft };
  }

  /** Checks a link's password, throttled per link and per client IP; returns a download URL. */
  async unlock(
    token: string,
    password: string,
    client: ClientContext,
  ): Promise<{ downloadUrl: string; expiresIn: number }> {
    const active = await this.resolve(token);
    if (active.link.recipients?.length) throw new UnauthorizedException(NEEDS_VERIFICATION);
    if (active.link.passwordHash === null)
      return { downloadUrl: this.contentUrl(token, active), expiresIn: GRANT_LIFETIME_SECONDS };
    await this.checkPassword(active.link, password, client);
    return this.granted(token, active);
  }

  /**
   * A named recipient asks for a code. The answer is the same whether or not the address is on
   * the link, so the link does not tell who it is for; only a listed address gets mail.
   */
  async requestRecipientCode(token: string, email: string, client: ClientContext): Promise<void> {
    const active = await this.resolve(token);
    const { link } = active;
    if (!link.recipients?.length) {
      throw new NotFoundException(NOT_FOR_RECIPIENTS);
    }
    if (!link.recipients.includes(email)) return;
    const code = await this.recipientCodes.issue(link._id, email);
    const sharer = await this.users.findById(link.ownerId.toHexString());
    await this.codeMail.send({
      to: email,
      code,
      sharerEmail: sharer?.email ?? 'A Strongroom user',
      sharedName: active.kind === 'file' ? active.file.name : active.bundle.name,
      minutesValid: CODE_LIFETIME_MINUTES,
    });
    await this.events.record({
      type: 'link_recipient_code_sent',
      client,
      linkId: link.id as string,
      targetLinkId: link.id as string,
      subjectId: link.ownerId.toHexString(),
      details: { recipient: email },
    });
  }

  /** A named recipient's code (and the link's password, if it has one) buys a download URL. */
  async verifyRecipient(
    token: string,
    input: { email: string; code: string; password?: string },
    client: ClientContext,
  ): Promise<{ downloadUrl: string; expiresIn: number }> {
    const active = await this.resolve(token);
    const { link } = active;
    if (!link.recipients?.length) {
      throw new NotFoundException(NOT_FOR_RECIPIENTS);
    }
    if (link.passwordHash !== null) await this.checkPassword(link, input.password ?? '', client);
    let verificationId: string;
    try {
      verificationId = await this.recipientCodes.confirm(link._id, input.email, input.code);
    } catch (error) {
      await this.events.record({
        type: 'link_recipient_verification_failed',
        client,
        linkId: link.id as string,
        targetLinkId: link.id as string,
        subjectId: link.ownerId.toHexString(),
        details: { recipient: input.email },
      });
      throw error;
    }
    await this.events.record({
      type: 'link_recipient_verified',
      client,
      linkId: link.id as string,
      targetLinkId: link.id as string,
      subjectId: link.ownerId.toHexString(),
      details: { recipient: input.email },
    });
    return this.granted(token, active, verificationId);
  }

  private contentUrl(token: string, active: ActiveLink): string {
    // A bundle link's grant opens each of its files too (…/files/:fileId?grant=…).
    return `/api/v1/public/links/${token}/${active.kind === 'bundle' ? 'archive' : 'content'}`;
  }

  private granted(token: string, active: ActiveLink, verificationId?: string) {
    const grant = this.grants.issue(
      active.link.id as string,
      GRANT_LIFETIME_SECONDS,
      verificationId,
    );
    return {
      downloadUrl: `${this.contentUrl(token, active)}?grant=${grant}`,
      expiresIn: GRANT_LIFETIME_SECONDS,
    };
  }

  /** A link's password, throttled per link and per client IP like sign-in. */
  private async checkPassword(
    link: ShareLinkDocument,
    password: string,
    client: ClientContext,
  ): Promise<void> {
    const subject = { email: `link:${link.id as string}`, ip: `link-unlock:${client.ip}` };
    const reservation = await this.lockout.reserve(subject);
    if (reservation.lockout) {
      throw new TooManyAttemptsException(
        `Too many wrong passwords; try again in ${reservation.lockout.retryAfterSeconds} seconds`,
        reservation.lockout.retryAfterSeconds,
      );
    }
    if (!(await this.hasher.verify(link.passwordHash!, password))) {
      await this.events.record({
        type: 'link_unlock_failed',
        client,
        linkId: link.id as string,
        fileId: link.fileId?.toHexString(),
        targetLinkId: link.id as string,
        ...(link.bundleId ? { details: { bundleId: link.bundleId.toHexString() } } : {}),
      });
      throw new UnauthorizedException('Wrong password for this link');
    }
    await this.lockout.release(reservation.attempt);
  }

  /**
   * Streams the file to a link holder. A download is counted before it starts (a numbered slot,
   * see LinkDownloadSlots, so `maxDownloads` holds across instances), and given back only if the
   * response never began. A client that hangs up mid-transfer has used its download: whether it
   * got every byte cannot be told reliably from the server side.
   */
  async download(
    token: string,
    grant: string | undefined,
    req: Request,
    res: Response,
    client: ClientContext,
  ): Promise<void> {
    const active = await this.resolve(token);
    if (active.kind !== 'file') {
      throw new NotFoundException(
        'This link shares a bundle: download its files one by one (files/:fileId/content) or all at once (archive)',
      );
    }
    await this.sendOne(active, active.file, grant, req, res, client);
  }

  /** One file of a bundle link: counts one download, like a file link's. */
  async downloadBundleFile(
    token: string,
    fileId: string,
    grant: string | undefined,
    req: Request,
    res: Response,
    client: ClientContext,
  ): Promise<void> {
    const active = await this.resolve(token);
    if (active.kind !== 'bundle') throw new NotFoundException(NOT_IN_BUNDLE);
    const file = active.files.find((candidate) => candidate.id === fileId);
    if (!file) throw new NotFoundException(NOT_IN_BUNDLE);
    await this.sendOne(active, file, grant, req, res, client);
  }

  /** All of a bundle link's files as one streamed ZIP: counts one download, whatever it holds. */
  async downloadArchive(
    token: string,
    grant: string | undefined,
    res: Response,
    client: ClientContext,
  ): Promise<void> {
    const active = await this.resolve(token);
    if (active.kind !== 'bundle') {
      throw new NotFoundException('Only a bundle link has an archive; this link shares one file');
    }
    const { link, bundle, files } = active;
    const reader = {
      client,
      linkId: link.id as string,
      details: { bundleId: bundle.id as string },
      responseStarted: () => res.headersSent,
    };
    const { completed, recipient } = await this.counted(link, grant, res, () =>
      sendZipArchive(res, bundle.name, files, (file) => this.files.openContent(file, reader)),
    );
    if (!completed) return;
    await this.events.record({
      type: 'bundle_archive_downloaded',
      client,
      linkId: link.id as string,
      targetLinkId: link.id as string,
      details: {
        bundleId: bundle.id as string,
        fileIds: files.map((file) => file.id as string).join(','),
        ...(recipient ? { recipient } : {}),
      },
    });
  }

  private async sendOne(
    { link }: ActiveLink,
    file: StoredFileDocument,
    grant: string | undefined,
    req: Request,
    res: Response,
    client: ClientContext,
  ): Promise<void> {
    const { completed, recipient } = await this.counted(link, grant, res, () =>
      this.files.sendContent(req, res, file, { ignoreRange: true, cacheControl: 'no-store' }),
    );
    if (!completed) return;
    const linkId = link.id as string;
    const details = {
      ...(link.bundleId ? { bundleId: link.bundleId.toHexString() } : {}),
      ...(recipient ? { recipient } : {}),
    };
    await this.events.record({
      type: 'link_downloaded',
      client,
      linkId,
      fileId: file.id as string,
      targetLinkId: linkId,
      // A recipient's address has no account of its own to be sealed under: the link owner's.
      ...(recipient ? { subjectId: link.ownerId.toHexString() } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    });
    await this.notifications.linkDownloaded(file.uploader.toHexString(), file.name);
    await this.webhooks.publish({
      type: 'link.downloaded',
      ownerId: link.ownerId.toHexString(),
      data: { linkId, fileId: file.id as string, fileName: file.name },
    });
  }

  /**
   * The locks and the download count around one response: a slot is claimed first and given back
   * only when nothing reached the client (storage failed before the response began). Returns the
   * verified recipient, for the access ledger.
   */
  private async counted(
    link: ShareLinkDocument,
    grant: string | undefined,
    res: Response,
    send: () => Promise<boolean>,
  ): Promise<{ completed: boolean; recipient?: string }> {
    const recipient = await this.admitted(link, grant);
    // HEAD sends headers only (link previewers ask it of every URL they see): nothing is
    // downloaded, so nothing is counted; resolve() has already refused a used-up link.
    if (res.req.method === 'HEAD') return { completed: await send(), recipient };
    const claim = await this.downloads.claim(link._id, link.maxDownloads);
    if (!claim) throw new NotFoundException(DEAD_LINK);
    try {
      return { completed: await send(), recipient };
    } catch (error) {
      if (!res.headersSent) await this.downloads.release(claim);
      throw error;
    }
  }

  /** A locked link opens only with its grant; a recipients' link, with a verified recipient's. */
  private async admitted(link: ShareLinkDocument, grant?: string): Promise<string | undefined> {
    const verifyRecipients = (link.recipients?.length ?? 0) > 0;
    if (link.passwordHash === null && !verifyRecipients) return undefined;
    const contents = grant ? this.grants.verify(grant, link.id as string) : null;
    if (!verifyRecipients) {
      if (contents) return undefined;
      throw new UnauthorizedException(
        'This link needs its password: unlock it first and use the download URL you get',
      );
    }
    const recipient = contents?.subject
      ? await this.recipientCodes.verifiedEmail(contents.subject, link._id)
      : null;
    if (!recipient) throw new UnauthorizedException(NEEDS_VERIFICATION);
    return recipient;
  }

  /** Erasure steps: a deleted file's links; a deleted bundle's; the links a deleted user made. */
  deleteForFile(fileId: string): Promise<void> {
    return this.deleteWhere({ fileId: new Types.ObjectId(fileId) });
  }

  deleteForBundle(bundleId: string): Promise<void> {
    return this.deleteWhere({ bundleId: new Types.ObjectId(bundleId) });
  }

  deleteOwnedBy(userId: string): Promise<void> {
    return this.deleteWhere({ ownerId: new Types.ObjectId(userId) });
  }

  /** The links first, so none outlives its download count (which would give it new downloads). */
  private async deleteWhere(
    filter: { fileId: Types.ObjectId } | { bundleId: Types.ObjectId } | { ownerId: Types.ObjectId },
  ) {
    const ids = (await this.links.find(filter, { _id: 1 }).lean().exec()).map((link) => link._id);
    await this.links.deleteMany({ _id: { $in: ids } }).exec();
    await this.downloads.deleteForLinks(ids);
    await this.recipientCodes.deleteForLinks(ids);
  }
}
