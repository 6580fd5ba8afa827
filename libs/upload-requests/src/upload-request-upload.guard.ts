import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { declaredLength, MULTIPART_FRAMING_ALLOWANCE, setUploadTarget } from '@strongroom/files';
import { type AdmittedUpload, UploadRequestsService } from './upload-requests.service';

const ADMITTED = Symbol('strongroom:admittedUpload');
type WithAdmitted = Request & { [ADMITTED]?: AdmittedUpload };

/**
 * Runs before the upload interceptor of a route that takes files through a request token: lets the
 * upload in (or refuses it before any byte) and points it at the requester's space, so the one
 * upload pipeline checks the requester's quota and marks the file with the request.
 */
@Injectable()
export class UploadRequestUploadGuard implements CanActivate {
  constructor(private readonly requests: UploadRequestsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const token = String(req.params.token);
    const declared = declaredLength(req);
    try {
      const admitted = await this.requests.admitUpload(
        token,
        req,
        res,
        declared === undefined ? undefined : Math.max(0, declared - MULTIPART_FRAMING_ALLOWANCE),
      );
      (req as WithAdmitted)[ADMITTED] = admitted;
      setUploadTarget(req, {
        owner: admitted.requester,
        uploadRequestId: admitted.request.id as string,
      });
      return true;
    } catch (error) {
      // Refused before the body: do not read (and store) a body nobody will take.
      if (!res.headersSent) res.setHeader('Connection', 'close');
      throw error;
    }
  }
}

/** What the guard admitted, for the route's handler. */
export function admittedUploadOf(req: Request): AdmittedUpload {
  const admitted = (req as WithAdmitted)[ADMITTED];
  if (!admitted) throw new Error('UploadRequestUploadGuard did not run on this route');
  return admitted;
}
