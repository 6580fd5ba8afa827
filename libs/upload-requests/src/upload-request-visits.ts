import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import type { Model, Types } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { hashLinkToken, isWellFormedLinkToken, newLinkToken } from '@strongroom/sharing';
import { UploadRequestVisit, type UploadRequestVisitDocument } from './upload-request-visit.schema';
import type { UploadRequestDocument } from './upload-request.schema';

const COOKIE_PREFIX = 'strongroom_upload_';

/**
 * A visitor's handle on one upload request, in an HttpOnly cookie named after the request (one
 * browser may answer several requests). It is a random token like a link's, stored hashed, and
 * bound to its request: presented on another request it is simply unknown.
 */
@Injectable()
export class UploadRequestVisits {
  constructor(
    @InjectModel(UploadRequestVisit.name) private readonly visits: Model<UploadRequestVisit>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The visit this request's cookie names, if it is one of this upload request's. */
  async find(
    req: Request,
    request: UploadRequestDocument,
  ): Promise<UploadRequestVisitDocument | null> {
    const header = req.headers.cookie;
    const handle = header ? parse(header)[cookieName(request)] : undefined;
    if (!handle || !isWellFormedLinkToken(handle)) return null;
    return this.visits
      .findOne({ handleHash: hashLinkToken(handle), requestId: request._id })
      .exec();
  }

  /** Starts a visit and hands its handle to the browser. */
  async open(res: Response, request: UploadRequestDocument): Promise<UploadRequestVisitDocument> {
    const handle = newLinkToken();
    const visit = await this.visits.create({
      requestId: request._id,
      handleHash: hashLinkToken(handle),
      expiresAt: request.expiresAt,
    });
    res.cookie(cookieName(request), handle, { ...this.options(), expires: request.expiresAt });
    return visit;
  }

  async deleteForRequests(requestIds: Types.ObjectId[]): Promise<void> {
    await this.visits.deleteMany({ requestId: { $in: requestIds } }).exec();
  }

  /** Lax, not Strict: a person opening the link again from their mail keeps their visit. */
  private options(): CookieOptions {
    const secure = new URL(this.config.http.publicUrl).protocol === 'https:';
    return { httpOnly: true, secure, sameSite: 'lax', path: '/' };
  }
}

export function cookieName(request: UploadRequestDocument): string {
  return `${COOKIE_PREFIX}${request.id as string}`;
}
