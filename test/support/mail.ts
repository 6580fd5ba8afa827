import type { MailpitServer, ReceivedMail } from '@strongroom/testing';

/** Waits until Mailpit holds at least `count` mails to the address, and returns them. */
export async function mailTo(
  mailpit: MailpitServer,
  address: string,
  count = 1,
): Promise<ReceivedMail[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = (await mailpit.messages()).filter((mail) => mail.to.includes(address));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} after 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
