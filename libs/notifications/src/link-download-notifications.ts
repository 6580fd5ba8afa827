import { Inject, Injectable } from '@nestjs/common';
import escapeHtml from 'escape-html';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { UsersService } from '@strongroom/users';
import { headerSafe } from './header-safe';
import type { OutgoingMail } from './mail-transport';
import { Outbox } from './outbox.service';

/**
 * The e-mail a file's owner gets when one of their links is downloaded, only if they asked for it
 * (the notifyOnLinkDownload preference). Plain text and HTML, no tracking; it names neither the
 * link's address nor who downloaded, which the owner reads in the file's activity.
 */
@Injectable()
export class LinkDownloadNotifications {
  constructor(
    private readonly outbox: Outbox,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async linkDownloaded(ownerId: string, fileName: string, at = new Date()): Promise<void> {
    const owner = await this.users.findById(ownerId);
    if (!owner || owner.disabled || owner.notifyOnLinkDownload !== true) return;
    await this.outbox.enqueue('link_downloaded', [this.mail(owner.email, fileName, at)]);
  }

  private mail(to: string, fileName: string, at: Date): OutgoingMail {
    const files = `${this.config.http.publicUrl}/files`;
    const settings = `${this.config.http.publicUrl}/settings/security`;
    const when = at
      .toISOString()
      .replace(/\.\d+Z$/, ' UTC')
      .replace('T', ' ');
    const why = 'You get this e-mail because you asked for one each time a link of yours is used.';
    const text = [
      `“${fileName}” was downloaded through one of your links on Strongroom at ${when}.`,
      '',
      `See who and when in the file's activity: ${files}`,
      '',
      `${why} Turn it off in your settings: ${settings}`,
    ].join('\n');
    const html = [
      '<!doctype html><html><body>',
      `<p><strong>${escapeHtml(fileName)}</strong> was downloaded through one of your links on Strongroom at ${escapeHtml(when)}.</p>`,
      `<p><a href="${escapeHtml(files)}">See who and when in the file’s activity</a></p>`,
      `<p>${escapeHtml(why)} <a href="${escapeHtml(settings)}">Turn it off in your settings</a>.</p>`,
      '</body></html>',
    ].join('');
    return {
      to,
      subject: headerSafe(`“${fileName}” was downloaded through your link`),
      text,
      html,
    };
  }
}
