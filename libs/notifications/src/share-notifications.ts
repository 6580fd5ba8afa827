import { Inject, Injectable } from '@nestjs/common';
import escapeHtml from 'escape-html';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { headerSafe } from './header-safe';
import type { OutgoingMail } from './mail-transport';
import { Outbox } from './outbox.service';

export interface ShareReceived {
  sharerEmail: string;
  fileName: string;
  recipients: string[];
  /** The group it came through, when it was shared with a group. */
  groupName?: string;
}

/** The e-mails people get when something is shared with them; plain text and HTML, no tracking. */
@Injectable()
export class ShareNotifications {
  constructor(
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async shareReceived(share: ShareReceived): Promise<void> {
    await this.outbox.enqueue(
      'share_received',
      share.recipients.map((to) => this.shareReceivedMail(to, share)),
    );
  }

  private shareReceivedMail(to: string, share: ShareReceived): OutgoingMail {
    const where = `${this.config.http.publicUrl}/shared`;
    const through = share.groupName ? ` with the group “${share.groupName}”` : ' with you';
    const text = [
      `${share.sharerEmail} shared “${share.fileName}”${through} on Strongroom.`,
      '',
      `Open it under "Shared with me": ${where}`,
      '',
      'You get this e-mail because someone shared a file with you.',
    ].join('\n');
    const html = [
      '<!doctype html><html><body>',
      `<p>${escapeHtml(share.sharerEmail)} shared <strong>${escapeHtml(share.fileName)}</strong>${escapeHtml(through)} on Strongroom.</p>`,
      `<p><a href="${escapeHtml(where)}">Open it under “Shared with me”</a></p>`,
      '<p>You get this e-mail because someone shared a file with you.</p>',
      '</body></html>',
    ].join('');
    return {
      to,
      subject: headerSafe(`${share.sharerEmail} shared “${share.fileName}”${through}`),
      text,
      html,
    };
  }
}
