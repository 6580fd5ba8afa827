import {
  GoneException,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { linkPageCsp } from '@strongroom/sharing';
import {
  type Notice,
  renderUploadRequestPage,
  type UploadRequestPageView,
} from './upload-request-page';
import type { UploadRequestVisitDocument } from './upload-request-visit.schema';
import { type OpenUploadRequest, stateOf, UploadRequestsService } from './upload-requests.service';

/** Builds and sends the upload request page in each of its states. */
@Injectable()
export class UploadRequestPages {
  constructor(private readonly requests: UploadRequestsService) {}

  /** The page for this browser as things stand, with a notice (a result, or a refusal). */
  async answer(
    req: Request,
    res: Response,
    token: string,
    status: number,
    notice?: Notice,
  ): Promise<void> {
    let open: OpenUploadRequest;
    try {
      open = await this.requests.resolve(token);
    } catch (error) {
      if (error instanceof NotFoundException || error instanceof GoneException) {
        return this.send(res, error.getStatus(), deadView(error));
      }
      throw error;
    }
    const visit = await this.requests.visitOf(req, open);
    this.send(res, status, await this.viewOf(open, visit, token, false, notice));
  }

  async viewOf(
    open: OpenUploadRequest,
    visit: UploadRequestVisitDocument | null,
    token: string,
    unlocked: boolean,
    notice?: Notice,
  ): Promise<UploadRequestPageView> {
    const details = await this.requests.describe(open, visit);
    if (!details.unlocked && !unlocked) {
      return {
        kind: 'password',
        details,
        formAction: `/r/${token}/unlock`,
        error: notice?.tone === 'error' ? notice.text : undefined,
      };
    }
    if (stateOf(open) === 'full') return { kind: 'full', details, notice };
    return { kind: 'upload', details, formAction: `/r/${token}`, notice };
  }

  send(res: Response, status: number, view: UploadRequestPageView): void {
    const nonce = randomBytes(16).toString('base64');
    res
      .status(status)
      .setHeader('Content-Security-Policy', linkPageCsp(nonce))
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('Cache-Control', 'no-store')
      .type('html')
      .send(renderUploadRequestPage(view, nonce));
  }
}

function deadView(error: HttpException): UploadRequestPageView {
  return error.getStatus() === (HttpStatus.GONE as number)
    ? { kind: 'dead', heading: 'This upload request is no longer open', message: error.message }
    : { kind: 'dead', heading: 'This upload link does not exist', message: error.message };
}
