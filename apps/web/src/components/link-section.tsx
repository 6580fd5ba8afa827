import { useEffect, useState } from 'preact/hooks';
import {
  type CreatedLink,
  type Link,
  linkState,
  type LinkPolicy,
  type NewLink,
} from '../api/sharing';
import { field } from '../form-field';
import { formatDate } from '../format';
import { messages } from '../messages';
import { QrCode } from './qr-code';
import { RowAction } from './row-action';

const m = messages.share;
const DAY_MS = 86_400_000;
type Expiry = keyof typeof m.expiryOptions;

/** The presets the server's LINK_MAX_TTL allows, the custom date always. */
function expiryChoices(policy: LinkPolicy | undefined): Expiry[] {
  return (Object.keys(m.expiryOptions) as Expiry[]).filter(
    (key) => key === 'custom' || !policy || Number(key) * 86_400 <= policy.maxTtlSeconds,
  );
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The end of the chosen day in the person's own time zone, or now plus the preset's days. */
function expiresAt(expiry: Expiry, customDate: string): string {
  if (expiry === 'custom') return new Date(`${customDate}T23:59:59`).toISOString();
  return new Date(Date.now() + Number(expiry) * DAY_MS).toISOString();
}

/**
 * The links to one thing (a file or a bundle): the form that creates one within the link policy,
 * the new link once (with its QR code), and the list with each active link's revoke button.
 */
export function LinkSection({
  policy,
  links,
  created,
  onCreate,
  onRevoke,
  onCopied,
}: {
  policy: LinkPolicy | undefined;
  links: Link[];
  created: CreatedLink | undefined;
  onCreate: (link: NewLink) => void;
  onRevoke: (link: Link) => void;
  onCopied: () => void;
}) {
  const [expiry, setExpiry] = useState<Expiry>('7');
  useEffect(() => {
    const choices = expiryChoices(policy);
    setExpiry((current) => (choices.includes(current) ? current : choices[0]));
  }, [policy]);

  const addLink = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const password = field(data, 'password');
    const maxDownloads = field(data, 'maxDownloads');
    const recipients = field(data, 'recipients')
      .split(/[\s,;]+/)
      .filter(Boolean);
    onCreate({
      expiresAt: expiresAt(expiry, field(data, 'customDate')),
      ...(password ? { password } : {}),
      ...(maxDownloads ? { maxDownloads: Number(maxDownloads) } : {}),
      ...(recipients.length > 0 ? { recipients } : {}),
    });
  };

  const copy = async (url: string) => {
    await navigator.clipboard.writeText(url);
    onCopied();
  };

  return (
    <>
      {policy?.publicLinksAllowed === false ? (
        <p class="empty">{m.linksNotAllowed}</p>
      ) : (
        <form class="link-form" onSubmit={addLink}>
          <label for="link-expiry">{m.expiry}</label>
          <select
            id="link-expiry"
            value={expiry}
            onChange={(event) => setExpiry(event.currentTarget.value as Expiry)}
          >
            {expiryChoices(policy).map((key) => (
              <option key={key} value={key}>
                {m.expiryOptions[key]}
              </option>
            ))}
          </select>
          {expiry === 'custom' && (
            <>
              <label for="link-date">{m.customDate}</label>
              <input
                id="link-date"
                name="customDate"
                type="date"
                required
                min={isoDay(Date.now())}
                max={policy ? isoDay(Date.now() + policy.maxTtlSeconds * 1000) : undefined}
              />
            </>
          )}
          <label for="link-password">
            {policy?.requirePassword ? m.passwordRequired : m.password}
          </label>
          <input
            id="link-password"
            name="password"
            type="password"
            autoComplete="new-password"
            required={policy?.requirePassword}
            aria-describedby="link-password-hint"
          />
          <small id="link-password-hint">{m.passwordRequiredHint}</small>
          <label for="link-max">{m.maxDownloads}</label>
          <input
            id="link-max"
            name="maxDownloads"
            type="number"
            min={1}
            max={policy?.maxDownloadsLimit}
            step={1}
            inputMode="numeric"
          />
          <label for="link-recipients">
            {policy?.verifyRecipients ? m.recipientsRequired : m.recipients}
          </label>
          <input
            id="link-recipients"
            name="recipients"
            type="text"
            autoComplete="off"
            required={policy?.verifyRecipients}
            aria-describedby="link-recipients-hint"
          />
          <small id="link-recipients-hint">{m.recipientsHint}</small>
          <button type="submit">{m.create}</button>
        </form>
      )}
      {created && (
        <div class="created-link">
          <label for="created-url">{m.linkLabel}</label>
          <div class="inline">
            <input id="created-url" type="text" readOnly value={created.url} />
            <button type="button" onClick={() => void copy(created.url)}>
              {m.copy}
            </button>
          </div>
          <QrCode text={created.url} label={m.qrLabel} />
        </div>
      )}
      {links.length === 0 ? (
        <p class="empty">{m.noLinks}</p>
      ) : (
        <ul class="plain links">
          {links.map((link) => {
            const state = linkState(link);
            return (
              <li key={link.id} data-testid="link">
                <span class={`badge ${state}`}>{m.states[state]}</span>
                <span>
                  {m.linkSummary(
                    formatDate(link.expiresAt),
                    link.downloads,
                    link.maxDownloads,
                    link.hasPassword,
                    link.recipients?.length ?? 0,
                  )}
                </span>
                {state === 'active' && (
                  <RowAction
                    label={m.revokeLinkLabel(formatDate(link.createdAt))}
                    tone="danger"
                    onClick={() => onRevoke(link)}
                  >
                    {m.revoke}
                  </RowAction>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
