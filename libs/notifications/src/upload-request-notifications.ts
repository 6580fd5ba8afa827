import { Inject, Injectable } from '@nestjs/common';
import escapeHtml from 'escape-html';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { headerSafe } from './header-safe';
import type { OutgoingMail } from './mail-transport';
import { Outbox } from './outbox.service';

export interface UploadRequestDelivery {
  requesterEmail: string;
  requestTitle: string;
  /** The first file of the visit; later files of the same visit are not mailed one by one. */
  fileName: string;
}

/** The e-mail a requester gets when someone sends files through their upload request. */
@Injectable()
export class UploadRequestNotifications {
  constructor(
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async filesArriving(delivery: UploadRequestDelivery): Promise<void> {
    await this.outbox.enqueue('upload_request_fulfilled', [this.mail(delivery)]);
  }

  private mail({ requesterEmail, requestTitle, fileName }: UploadRequestDelivery): OutgoingMail {
    const where = `${this.config.http.publicUrl}/files`;
    const text = [
      `Someone sent “${fileName}” through your upload request “${requestTitle}” on Strongroom.`,
      'Anything else they send in the same visit arrives beside it without another e-mail.',
      '',
      `See the files in your files: ${where}`,
      '',
      'You get this e-mail because you created this upload request.',
    ].join('\n');
    const html = [
      '<!doctype html><html><body>',
      `<p>Someone sent <strong>${escapeHtml(fileName)}</strong> through your upload request “${escapeHtml(requestTitle)}” on Strongroom.</p>`,
      '<p>Anything else they send in the same visit arrives beside it without another e-mail.</p>',
      `<p><a href="${escapeHtml(where)}">See the files in your files</a></p>`,
      '<p>You get this e-mail because you created this upload request.</p>',
      '</body></html>',
    ].join('');
    return {
      to: requesterEmail,
      subject: headerSafe(`“${fileName}” arrived through “${requestTitle}”`),
      text,
      html,
    };
  }
}
