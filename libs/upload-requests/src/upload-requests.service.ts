import {
  ConflictException,
  GoneException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
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
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { type UploadedBlob, UploadPipeline } from '@strongroom/files';
import { admitLink, LinkPolicyService } from '@strongroom/link-policy';
import { UploadRequestNotifications } from '@strongroom/notifications';
import { hashLinkToken, isWellFormedLinkToken, newLinkToken } from '@strongroom/sharing';
import { PasswordHasher, UsersService } from '@strongroom/users';
import { WebhookEvents } from '@strongroom/webhooks';
import type {
  CreateUploadRequestRequest,
  PublicUploadRequestInfo,
  ReceivedFile,
  UpdateUploadRequestRequest,
  UploadRequestResponse,
  UploadRequestState,
  VisitorUpload,
} from './dto/upload-request.dto';
import { type RequestUsage, UploadRequestSlots } from './upload-request-slots';
import type { UploadRequestVisitDocument } from './upload-request-visit.schema';
import { UploadRequestVisits } from './upload-request-visits';
import { UploadRequest, type UploadRequestDocument } from './upload-request.schema';

const UNKNOWN = 'This upload request does not exist; check the link you were sent';
const NOT_FOUND = 'Upload request not found';

/** A request that takes files now, with whose space they go into. */
export interface OpenUploadRequest {
  request: UploadRequestDocument;
  requester: AuthenticatedUser & { displayName?: string };
  usage: RequestUsage;
}

/** Everything an upload through a request needs once its guard has let it in. */
export interface AdmittedUpload extends OpenUploadRequest {
  visit: UploadRequestVisitDocument;
}

export interface CountedUploadRequest {
  request: UploadRequestDocument;
  usage: RequestUsage;
}

/** The requester's quota refused a file: the visitor did nothing wrong, and is told whom to ask. */
function requesterOutOfSpace(): PayloadTooLargeException {
  return new PayloadTooLargeException(
    'The person who asked for these files has no storage left for this one; let them know',
  );
}

export function stateOf(
  { request, usage }: CountedUploadRequest,
  now = new Date(),
): UploadRequestState {
  if (request.closedAt) return 'closed';
  if (request.expiresAt <= now) return 'expired';
  const filesFull = request.maxFiles !== null && usage.files >= request.maxFiles;
  const bytesFull = request.maxTotalSize !== null && usage.bytes >= request.maxTotalSize;
  return filesFull || bytesFull ? 'full' : 'open';
}

export function toUploadRequestResponse(counted: CountedUploadRequest): UploadRequestResponse {
  const { request, usage } = counted;
  return {
    id: request.id as string,
    title: request.title,
    message: request.message,
    expiresAt: request.expiresAt,
    maxFiles: request.maxFiles,
    maxTotalSize: request.maxTotalSize,
    hasPassword: request.passwordHash !== null,
    state: stateOf(counted),
    files: usage.files,
    bytes: usage.bytes,
    closedAt: request.closedAt,
    createdAt: request.createdAt,
  };
}

/**
 * Upload requests (reverse shares): the owner's side (create, list, change, close, delete) and the
 * visitor's (resolve a token, unlock, send a file). Files go through the one upload pipeline into
 * the owner's space; this service only decides whether the request still takes them.
 */
@Injectable()
export class UploadRequestsService {
  private readonly logger = new Logger('UploadRequests');

  constructor(
    @InjectModel(UploadRequest.name) private readonly requests: Model<UploadRequest>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly slots: UploadRequestSlots,
    private readonly visits: UploadRequestVisits,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockoutService,
    private readonly linkPolicies: LinkPolicyService,
    private readonly events: SecurityEventsService,
    private readonly pipeline: UploadPipeline,
    private readonly notifications: UploadRequestNotifications,
    private readonly webhooks: WebhookEvents,
  ) {}

  async create(
    owner: AuthenticatedUser,
    input: CreateUploadRequestRequest,
    client: ClientContext,
  ): Promise<{ counted: CountedUploadRequest; token: string; url: string }> {
    // The request is a public link too: the same policy bounds its expiry and its password.
    const { expiresAt } = admitLink(await this.linkPolicies.effectiveFor(owner), {
      expiresAt: input.expiresAt,
      password: input.password,
    });
    const token = newLinkToken();
    const request = await this.requests.create({
      ownerId: new Types.ObjectId(owner.id),
      tokenHash: hashLinkToken(token),
      title: input.title,
      message: input.message?.trim() || null,
      expiresAt,
      maxFiles: input.maxFiles ?? null,
      maxTotalSize: input.maxTotalSize ?? null,
      passwordHash: input.password ? await this.hasher.hash(input.password) : null,
    });
    await this.record('upload_request_created', request, client, owner.id);
    // From PUBLIC_URL, never the request's Host, as for share links.
    const url = `${this.config.http.publicUrl}/r/${token}`;
    return { counted: { request, usage: { files: 0, bytes: 0 } }, token, url };
  }

  async list(owner: AuthenticatedUser): Promise<CountedUploadRequest[]> {
    const requests = await this.requests
      .find({ ownerId: new Types.ObjectId(owner.id) })
      .sort({ createdAt: -1, _id: -1 })
      .exec();
    const usages = await this.slots.usages(requests.map((request) => request._id));
    return requests.map((request) => ({
      request,
      usage: usages.get(request.id as string) ?? { files: 0, bytes: 0 },
    }));
  }

  async get(owner: AuthenticatedUser, id: string): Promise<CountedUploadRequest> {
    const request = await this.owned(owner, id);
    return { request, usage: await this.slots.usage(request._id) };
  }

  /** What a request has received, for its owner. */
  async received(request: UploadRequestDocument): Promise<ReceivedFile[]> {
    const slots = await this.slots.forRequest(request._id);
    return slots.map((slot) => ({
      fileId: slot.fileId.toHexString(),
      name: slot.name,
      size: slot.size,
      receivedAt: slot.createdAt,
    }));
  }

  async update(
    owner: AuthenticatedUser,
    id: string,
    input: UpdateUploadRequestRequest,
    client: ClientContext,
  ): Promise<CountedUploadRequest> {
    const request = await this.owned(owner, id);
    if (input.expiresAt !== undefined || input.password !== undefined) {
      const keepsPassword = input.password === undefined && request.passwordHash !== null;
      admitLink(await this.linkPolicies.effectiveFor(owner), {
        expiresAt: input.expiresAt ?? request.expiresAt,
        password: input.password ?? (keepsPassword ? 'kept' : undefined),
      });
    }
    if (input.title !== undefined) request.title = input.title;
    if (input.message !== undefined) request.message = input.message?.trim() || null;
    if (input.expiresAt !== undefined) request.expiresAt = input.expiresAt;
    if (input.maxFiles !== undefined) request.maxFiles = input.maxFiles;
    if (input.maxTotalSize !== undefined) request.maxTotalSize = input.maxTotalSize;
    if (input.password !== undefined) {
      request.passwordHash =
        input.password === null ? null : await this.hasher.hash(input.password);
    }
    await request.save();
    await this.record('upload_request_updated', request, client, owner.id);
    return { request, usage: await this.slots.usage(request._id) };
  }

  /** Stops taking files at once; what arrived stays in the owner's files. */
  async close(
    owner: AuthenticatedUser,
    id: string,
    client: ClientContext,
  ): Promise<CountedUploadRequest> {
    const request = await this.owned(owner, id);
    if (!request.closedAt) {
      request.closedAt = new Date();
      await request.save();
      await this.record('upload_request_closed', request, client, owner.id);
    }
    return { request, usage: await this.slots.usage(request._id) };
  }

  /** Removes the request and its visits; the files it brought stay, marked with its id. */
  async delete(owner: AuthenticatedUser, id: string, client: ClientContext): Promise<void> {
    const request = await this.owned(owner, id);
    await this.deleteWhere({ _id: request._id });
    await this.record('upload_request_deleted', request, client, owner.id);
  }

  /** Erasure step: the requests a deleted user made. */
  async deleteOwnedBy(userId: string): Promise<void> {
    await this.deleteWhere({ ownerId: new Types.ObjectId(userId) });
  }

  /**
   * The request behind a token, while it takes files: 404 for an unknown token (or a requester
   * who is gone or disabled), 410 for an expired or closed one, each saying so.
   */
  async resolve(token: string): Promise<OpenUploadRequest> {
    const request = isWellFormedLinkToken(token)
      ? await this.requests.findOne({ tokenHash: hashLinkToken(token) }).exec()
      : null;
    const owner = request ? await this.users.findById(request.ownerId.toHexString()) : null;
    if (!request || !owner || owner.disabled) throw new NotFoundException(UNKNOWN);
    if (request.closedAt) {
      throw new GoneException(
        'This upload request was closed by the person who sent it; ask them for a new link',
      );
    }
    if (request.expiresAt <= new Date()) {
      throw new GoneException(
        'This upload request has expired; ask the person who sent it for a new link',
      );
    }
    const requester = {
      id: owner.id as string,
      email: owner.email,
      role: owner.role,
      displayName: owner.displayName,
    };
    return { request, requester, usage: await this.slots.usage(request._id) };
  }

  /** This browser's visit of an open request, if it has one. */
  visitOf(req: Request, open: OpenUploadRequest): Promise<UploadRequestVisitDocument | null> {
    return this.visits.find(req, open.request);
  }

  /**
   * Checks the password, throttled per request and per client IP as link passwords are, and
   * starts a visit (its handle in a cookie) that may upload.
   */
  async unlock(
    token: string,
    password: string,
    client: ClientContext,
    res: Response,
  ): Promise<OpenUploadRequest> {
    const open = await this.resolve(token);
    const { request } = open;
    if (request.passwordHash !== null) {
      const subject = {
        email: `upload-request:${request.id as string}`,
        ip: `upload-request-unlock:${client.ip}`,
      };
      const reservation = await this.lockout.reserve(subject);
      if (reservation.lockout) {
        throw new TooManyAttemptsException(
          `Too many wrong passwords; try again in ${reservation.lockout.retryAfterSeconds} seconds`,
          reservation.lockout.retryAfterSeconds,
        );
      }
      if (!(await this.hasher.verify(request.passwordHash, password))) {
        await this.record('upload_request_unlock_failed', request, client);
        throw new UnauthorizedException('Wrong password for this upload request');
      }
      await this.lockout.release(reservation.attempt);
    }
    await this.visits.open(res, request);
    return open;
  }

  /**
   * Lets an upload in, before a byte of it is read: the request is open, the visit may upload
   * (starting one where no password is needed), a place is left and the declared size fits.
   */
  async admitUpload(
    token: string,
    req: Request,
    res: Response,
    declaredSize: number | undefined,
  ): Promise<AdmittedUpload> {
    const open = await this.resolve(token);
    const { request, usage } = open;
    let visit = await this.visits.find(req, request);
    if (!visit) {
      if (request.passwordHash !== null) {
        throw new UnauthorizedException(
          'This upload request needs its password: unlock it first, then send files with the cookie you got',
        );
      }
      visit = await this.visits.open(res, request);
    }
    if (request.maxFiles !== null && usage.files >= request.maxFiles)
      throw this.noPlaceLeft(request);
    const bytesLeft = request.maxTotalSize === null ? null : request.maxTotalSize - usage.bytes;
    if (bytesLeft !== null && (bytesLeft <= 0 || (declaredSize ?? 0) > bytesLeft)) {
      throw this.overTotalSize(request);
    }
    // The pipeline checks the quota again (and charges it); this refusal speaks to the visitor.
    const quotaLeft = await this.users.remainingQuota(open.requester.id);
    if (quotaLeft !== undefined && (declaredSize ?? 0) > quotaLeft) throw requesterOutOfSpace();
    return { ...open, visit };
  }

  /**
   * Takes a stored, scanned file in: a place is claimed (maxFiles, maxTotalSize), the pipeline
   * charges the requester's quota and makes the file ready; any refusal removes it again.
   */
  async accept(
    admitted: AdmittedUpload,
    blob: UploadedBlob,
    client: ClientContext,
  ): Promise<VisitorUpload> {
    const { request, requester, visit } = admitted;
    const claim = await this.slots.claim(request, {
      size: blob.size,
      visitId: visit._id,
      fileId: blob.record._id,
      name: blob.record.name,
    });
    if (!claim.taken) {
      await this.pipeline.discard(blob.record);
      throw claim.refusal === 'maxFiles' ? this.noPlaceLeft(request) : this.overTotalSize(request);
    }
    let ready;
    try {
      ready = await this.pipeline.finish(
        {
          owner: requester,
          name: blob.record.name,
          client,
          route: 'multipart',
          uploadRequestId: request.id as string,
        },
        blob.record,
        { size: blob.size, sha256: blob.sha256, contentType: blob.contentType },
      );
    } catch (error) {
      await this.slots.release(claim.id);
      if (error instanceof PayloadTooLargeException) throw requesterOutOfSpace();
      throw error;
    }
    await this.record('upload_request_file_received', request, client, undefined, {
      fileId: ready.id as string,
      size: ready.size,
    });
    if (await this.isFirstOfVisit(visit, claim.id))
      await this.fulfilled(admitted, ready.name, client);
    return { name: ready.name, size: ready.size, uploadedAt: ready.uploadedAt };
  }

  /**
   * A visitor has delivered files: once per visit, at its first file (so a batch of files brings
   * one e-mail, not one each), and one `upload_request.fulfilled` webhook event.
   */
  async fulfilled(
    admitted: AdmittedUpload,
    firstFileName: string,
    client: ClientContext,
  ): Promise<void> {
    const { request, requester } = admitted;
    await this.record('upload_request_fulfilled', request, client, undefined, {
      visitId: admitted.visit.id as string,
    });
    await this.webhooks.publish({
      type: 'upload_request.fulfilled',
      ownerId: requester.id,
      data: {
        uploadRequestId: request.id as string,
        title: request.title,
        firstFileName,
      },
    });
    await this.notifications
      .filesArriving({
        requesterEmail: requester.email,
        requestTitle: request.title,
        fileName: firstFileName,
      })
      .catch((error: Error) => {
        // The file is safely in; a mail that could not even be queued must not turn that into an error.
        this.logger.warn(`could not queue the upload request mail: ${error.message}`);
      });
  }

  /** What a visitor may know of a request: its wording, its limits left, and their own uploads. */
  async describe(
    open: OpenUploadRequest,
    visit: UploadRequestVisitDocument | null,
  ): Promise<PublicUploadRequestInfo> {
    const { request, requester, usage } = open;
    const left = (limit: number | null, used: number) =>
      limit === null ? null : Math.max(0, limit - used);
    return {
      title: request.title,
      message: request.message,
      requester: { email: requester.email, displayName: requester.displayName },
      expiresAt: request.expiresAt,
      requiresPassword: request.passwordHash !== null,
      unlocked: visit !== null || request.passwordHash === null,
      filesLeft: left(request.maxFiles, usage.files),
      bytesLeft: left(request.maxTotalSize, usage.bytes),
      maxFileSize: this.pipeline.maxFileSize,
      uploads: await this.uploadsOf(visit),
    };
  }

  /** What this visit sent, and nothing else. */
  async uploadsOf(visit: UploadRequestVisitDocument | null): Promise<VisitorUpload[]> {
    if (!visit) return [];
    const slots = await this.slots.forVisit(visit._id);
    return slots.map((slot) => ({ name: slot.name, size: slot.size, uploadedAt: slot.createdAt }));
  }

  /** Whether a claimed place is the visit's first (its earliest place; of two racing, one is). */
  private async isFirstOfVisit(
    visit: UploadRequestVisitDocument,
    claimId: Types.ObjectId,
  ): Promise<boolean> {
    const [first] = await this.slots.forVisit(visit._id);
    return first?._id.equals(claimId) ?? false;
  }

  private noPlaceLeft(request: UploadRequestDocument): ConflictException {
    return new ConflictException(
      `This upload request takes at most ${request.maxFiles} files and has received them all`,
    );
  }

  private overTotalSize(request: UploadRequestDocument): PayloadTooLargeException {
    return new PayloadTooLargeException(
      `This upload request takes at most ${request.maxTotalSize} bytes in all; this file does not fit in what is left`,
    );
  }

  private async owned(owner: AuthenticatedUser, id: string): Promise<UploadRequestDocument> {
    const request = isValidObjectId(id)
      ? await this.requests.findOne({ _id: id, ownerId: new Types.ObjectId(owner.id) }).exec()
      : null;
    if (!request) throw new NotFoundException(NOT_FOUND);
    return request;
  }

  private async deleteWhere(filter: { _id: Types.ObjectId } | { ownerId: Types.ObjectId }) {
    const ids = (await this.requests.find(filter, { _id: 1 }).lean().exec()).map((row) => row._id);
    await this.requests.deleteMany({ _id: { $in: ids } }).exec();
    await this.slots.deleteForRequests(ids);
    await this.visits.deleteForRequests(ids);
  }

  private record(
    type:
      | 'upload_request_created'
      | 'upload_request_updated'
      | 'upload_request_closed'
      | 'upload_request_deleted'
      | 'upload_request_unlock_failed'
      | 'upload_request_file_received'
      | 'upload_request_fulfilled',
    request: UploadRequestDocument,
    client: ClientContext,
    actorId?: string,
    extra: { fileId?: string; size?: number; visitId?: string } = {},
  ): Promise<void> {
    const { fileId, ...details } = extra;
    return this.events.record({
      type,
      client,
      actorId,
      // The requester is whom every event of a request concerns (and whose export shows it).
      subjectId: request.ownerId.toHexString(),
      fileId,
      details: { uploadRequestId: request.id as string, ...details },
    });
  }
}
