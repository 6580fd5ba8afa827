import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The SMTP connection from SMTP_URL; absent when mail is off. */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly transporter?: Transporter;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { smtpUrl, from } = config.mail;
    this.from = from;
    this.transporter = smtpUrl
      ? createTransport({
          url: smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : undefined;
  }

  get enabled(): boolean {
    return this.transporter !== undefined;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transporter) throw new Error('mail is off (no SMTP_URL)');
    const { to, subject, text, html } = mail;
    await this.transporter.sendMail({ from: this.from, to, subject, text, html });
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }
}
