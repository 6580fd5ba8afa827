import { Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
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
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { FilesService, type StoredFileDocument } from '@strongroom/files';
import { admitLink, LinkPolicyService } from '@strongroom/link-policy';
import { LinkDownloadNotifications } from '@strongroom/notifications';
import { PasswordHasher } from '@strongroom/users';
import type { CreateLinkRequest, LinkResponse } from './dto/sharing.dto';
import { LinkDownloadSlots } from './link-download-slots';
import { WebhookEvents } from '@strongroom/webhooks';
import { LinkGrantSigner } from './link-grant';
import { hashLinkToken, isWellFormedLinkToken, newLinkToken } from './link-token';
import { ShareLink, type ShareLinkDocument } from './share-link.schema';

const GRANT_LIFETIME_SECONDS = 300;
const DEAD_LINK = 'This link does not exist, has expired, was revoked or has been used up';

export interface ActiveLink {
  link: ShareLinkDocument;
  file: StoredFileDocument;
  /** null: the link has no download limit. */
  downloadsLeft: number | null;
}

/** A link with the number of downloads counted so far. */
export interface CountedLink {
  link: ShareLinkDocument;
  downloads: number;
}

export function toLinkResponse({ link, downloads }: CountedLink): LinkResponse {
  return {
    id: link.id as string,
    fileId: link.fileId.toHexString(),
    expiresAt: link.expiresAt,
    maxDownloads: link.maxDownloads,
    downloads,
    hasPassword: link.passwordHash !== null,
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
  ) {
    this.grants = new LinkGrantSigner(config.auth.secretKey);
  }

  async create(
    owner: AuthenticatedUser,
    fileId: string,
    input: CreateLinkRequest,
  ): Promise<{ link: ShareLinkDocument; token: string; url: string }> {
    const file = await this.files.getAccessible(owner, fileId, 'share');
    const { expiresAt, maxDownloads } = admitLink(
      await this.linkPolicies.effectiveFor(owner),
      input,
    );
    const token = newLinkToken();
    const link = await this.links.create({
      fileId: file._id,
      ownerId: file.uploader,
      tokenHash: hashLinkToken(token),
      expiresAt,
      maxDownloads,
      passwordHash: input.password ? await this.hasher.hash(input.password) : null,
    });
    // From PUBLIC_URL, never the request's Host: a forged Host would hand out links to another site.
    return { link, token, url: `${this.config.http.publicUrl}/s/${token}` };
  }

  async list(user: AuthenticatedUser, fileId: string): Promise<CountedLink[]> {
    const file = await this.files.getAccessible(user, fileId, 'modify');
    const links = await this.links.find({ fileId: file._id }).sort({ createdAt: 1 }).exec();
    const counts = await this.downloads.counts(links.map((link) => link._id));
    return links.map((link) => ({ link, downloads: counts.get(link.id as string) ?? 0 }));
  }

  async revoke(user: AuthenticatedUser, linkId: string): Promise<ShareLinkDocument> {
    const link = isValidObjectId(linkId) ? await this.links.findById(linkId).exec() : null;
    if (!link) throw new NotFoundException('Link not found');
    await this.files
      .getAccessible(user, link.fileId.toHexString(), 'modify')
      .catch((error: unknown) => {
        // Name the link, not its file; any other failure (an outage) keeps its own status.
        if (error instanceof NotFoundException) throw new NotFoundException('Link not found');
        throw error;
      });
    link.revokedAt ??= new Date();
    return link.save();
  }

  /** A live link and its ready file; unknown, expired, revoked and used-up links are all 404 alike. */
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
    const file = link && downloadsLeft !== 0 ? await this.files.findReady(link.fileId) : null;
    if (!link || !file) throw new NotFoundException(DEAD_LINK);
    return { link, file, downloadsLeft };
  }

  /** Checks a link's password, throttled per link and per client IP; returns a download URL. */
  async unlock(
    token: string,
    password: string,
    client: ClientContext,
  ): Promise<{ downloadUrl: string; expiresIn: number }> {
    const { link } = await this.resolve(token);
    const contentUrl = `/api/v1/public/links/${token}/content`;
    if (link.passwordHash === null)
      return { downloadUrl: contentUrl, expiresIn: GRANT_LIFETIME_SECONDS };
    const subject = { email: `link:${link.id as string}`, ip: `link-unlock:${client.ip}` };
    const reservation = await this.lockout.reserve(subject);
    if (reservation.lockout) {
      throw new TooManyAttemptsException(
        `Too many wrong passwords; try again in ${reservation.lockout.retryAfterSeconds} seconds`,
        reservation.lockout.retryAfterSeconds,
      );
    }
    if (!(await this.hasher.verify(link.passwordHash, password))) {
      await this.events.record({
        type: 'link_unlock_failed',
        client,
        linkId: link.id as string,
        fileId: link.fileId.toHexString(),
        targetLinkId: link.id as string,
      });
      throw new UnauthorizedException('Wrong password for this link');
    }
    await this.lockout.release(reservation.attempt);
    const grant = this.grants.issue(link.id as string, GRANT_LIFETIME_SECONDS);
    return { downloadUrl: `${contentUrl}?grant=${grant}`, expiresIn: GRANT_LIFETIME_SECONDS };
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
    const { link, file } = await this.resolve(token);
    if (link.passwordHash !== null && !(grant && this.grants.verify(grant, link.id as string))) {
      throw new UnauthorizedException(
        'This link needs its password: unlock it first and use the download URL you get',
      );
    }
    const claim = await this.downloads.claim(link._id, link.maxDownloads);
    if (!claim) throw new NotFoundException(DEAD_LINK);
    let completed: boolean;
    try {
      completed = await this.files.sendContent(req, res, file, {
        ignoreRange: true,
        cacheControl: 'no-store',
      });
    } catch (error) {
      // Nothing reached the client (storage failed before the response began): not a download.
      if (!res.headersSent) await this.downloads.release(claim);
      throw error;
    }
    if (!completed) return;
    const linkId = link.id as string;
    await this.events.record({
      type: 'link_downloaded',
      client,
      linkId,
      fileId: file.id as string,
      targetLinkId: linkId,
    });
    await this.notifications.linkDownloaded(file.uploader.toHexString(), file.name);
    await this.webhooks.publish({
      type: 'link.downloaded',
      ownerId: link.ownerId.toHexString(),
      data: { linkId, fileId: file.id as string, fileName: file.name },
    });
  }

  /** Erasure steps: a deleted file's links; the links a deleted user made. */
  deleteForFile(fileId: string): Promise<void> {
    return this.deleteWhere({ fileId: new Types.ObjectId(fileId) });
  }

  deleteOwnedBy(userId: string): Promise<void> {
    return this.deleteWhere({ ownerId: new Types.ObjectId(userId) });
  }

  /** The links first, so none outlives its download count (which would give it new downloads). */
  private async deleteWhere(filter: { fileId: Types.ObjectId } | { ownerId: Types.ObjectId }) {
    const ids = (await this.links.find(filter, { _id: 1 }).lean().exec()).map((link) => link._id);
    await this.links.deleteMany({ _id: { $in: ids } }).exec();
    await this.downloads.deleteForLinks(ids);
  }
}
