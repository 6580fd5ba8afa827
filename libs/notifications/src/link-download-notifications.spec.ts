import type { AppConfig } from '@strongroom/config';
import type { UserDocument, UsersService } from '@strongroom/users';
import { LinkDownloadNotifications } from './link-download-notifications';
import type { OutgoingMail } from './mail-transport';
import type { Outbox } from './outbox.service';

const config = { http: { publicUrl: 'https://files.example.com' } } as AppConfig;
const AT = new Date('2026-03-01T09:30:15.123Z');

function notificationsFor(owner: Partial<UserDocument> | null) {
  const enqueue = jest.fn<Promise<void>, [string, OutgoingMail[]]>(() => Promise.resolve());
  const users = { findById: jest.fn(() => Promise.resolve(owner)) };
  const notifications = new LinkDownloadNotifications(
    { enqueue } as unknown as Outbox,
    users as unknown as UsersService,
    config,
  );
  return { notifications, enqueue };
}

describe('LinkDownloadNotifications', () => {
  it('queues nothing for an owner who did not ask, who is disabled, or who is gone', async () => {
    for (const owner of [
      { email: 'a@example.com', notifyOnLinkDownload: false, disabled: false },
      { email: 'b@example.com', disabled: false },
      { email: 'c@example.com', notifyOnLinkDownload: true, disabled: true },
      null,
    ]) {
      const { notifications, enqueue } = notificationsFor(owner);
      await notifications.linkDownloaded('6650f1c2a1b2c3d4e5f60718', 'report.pdf', AT);
      expect(enqueue).not.toHaveBeenCalled();
    }
  });

  it('mails an owner who asked: one-line subject, escaped HTML, the time in UTC', async () => {
    const { notifications, enqueue } = notificationsFor({
      email: 'owner@example.com',
      notifyOnLinkDownload: true,
      disabled: false,
    });
    await notifications.linkDownloaded('6650f1c2a1b2c3d4e5f60718', 'a\r\nBcc: x@evil.test <b>', AT);

    expect(enqueue).toHaveBeenCalledWith('link_downloaded', [expect.any(Object)]);
    const [mail] = enqueue.mock.calls[0][1];
    expect(mail.to).toBe('owner@example.com');
    expect(mail.subject).toBe('“a Bcc: x@evil.test <b>” was downloaded through your link');
    expect(mail.text).toContain('at 2026-03-01 09:30:15 UTC');
    expect(mail.text).toContain('https://files.example.com/settings/security');
    expect(mail.html).toContain('Bcc: x@evil.test &lt;b&gt;');
    expect(mail.html).not.toMatch(/<img/i);
  });
});
