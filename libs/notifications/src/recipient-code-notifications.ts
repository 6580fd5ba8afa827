import { Injectable } from '@nestjs/common';
import escapeHtml from 'escape-html';
import { headerSafe } from './header-safe';
import { MailTransport } from './mail-transport';
import { Outbox } from './outbox.service';

export interface RecipientCode {
  to: string;
  code: string;
  /** Who shared the link, as the recipient knows them. */
  sharerEmail: string;
  /** What the link shares: a file's or a bundle's name. */
  sharedName: string;
  minutesValid: number;
}

/** The one-time code that lets a named recipient open a link; plain text and HTML, no tracking. */
@Injectable()
export class RecipientCodeNotifications {
  constructor(
    private readonly outbox: Outbox,
    private readonly transport: MailTransport,
  ) {}

  /** Whether codes can be sent at all (SMTP_URL is set). */
  get available(): boolean {
    return this.transport.enabled;
  }

  async send(message: RecipientCode): Promise<void> {
    const { to, code, sharerEmail, sharedName, minutesValid } = message;
    const text = [
      `Your code to open “${sharedName}”, shared by ${sharerEmail} on Strongroom:`,
      '',
      `    ${code}`,
      '',
      `It works once, for ${minutesValid} minutes. If you did not ask for it, ignore this e-mail: without the code nobody can open the link as you.`,
    ].join('\n');
    const html = [
      '<!doctype html><html><body>',
      `<p>Your code to open <strong>${escapeHtml(sharedName)}</strong>, shared by ${escapeHtml(sharerEmail)} on Strongroom:</p>`,
      `<p style="font-size:1.5em;letter-spacing:0.2em"><strong>${escapeHtml(code)}</strong></p>`,
      `<p>It works once, for ${minutesValid} minutes. If you did not ask for it, ignore this e-mail: without the code nobody can open the link as you.</p>`,
      '</body></html>',
    ].join('');
    await this.outbox.enqueue('recipient_code', [
      { to, subject: headerSafe(`Your code for “${sharedName}”`), text, html },
    ]);
  }
}
