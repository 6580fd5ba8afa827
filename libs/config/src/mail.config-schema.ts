import { z } from 'zod';
import { blankToUndefined, duration, withDefault } from './schema-fields';

export interface MailConfig {
  /** smtp:// or smtps:// with credentials if needed; unset turns e-mail notifications off. */
  smtpUrl?: string;
  from: string;
  /** How often the outbox worker looks for messages that are due. */
  outboxPollMs: number;
}

const smtpUrl = z.string().superRefine((text, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.com:465',
    });
  }
});

/** The e-mail variables, composed into the one environment schema. */
export const mailEnvironment = {
  SMTP_URL: z.preprocess(blankToUndefined, smtpUrl.optional()),
  MAIL_FROM: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(320)
      .regex(/^[^\r\n]+$/, 'must be one line')
      .optional(),
  ),
  OUTBOX_POLL_INTERVAL: withDefault(duration('5s'), '5s'),
};

export function mailConfigFrom(
  env: { SMTP_URL?: string; MAIL_FROM?: string; OUTBOX_POLL_INTERVAL: number },
  publicUrl: string,
): MailConfig {
  return {
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM ?? `Strongroom <no-reply@${new URL(publicUrl).hostname}>`,
    outboxPollMs: Math.max(env.OUTBOX_POLL_INTERVAL, 100),
  };
}
