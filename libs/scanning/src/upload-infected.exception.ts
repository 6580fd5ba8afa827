import { UnprocessableEntityException } from '@nestjs/common';

/** clamd found malware in an upload; nothing of it is kept. */
export class UploadInfectedException extends UnprocessableEntityException {
  constructor(readonly signature: string) {
    super(`The file contains malware (${signature}) and was rejected; nothing was stored`);
  }
}
