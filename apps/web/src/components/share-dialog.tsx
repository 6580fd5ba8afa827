import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { StoredFile } from '../api/files';
import { type Group, type GroupMember, listGroups, listMembers } from '../api/groups';
import {
  type AccessEvent,
  type CreatedLink,
  createLink,
  type Link,
  linkState,
  listLinks,
  listShares,
  loadActivity,
  loadLinkPolicy,
  type LinkPolicy,
  revokeLink,
  revokeShare,
  type Share,
  shareWith,
} from '../api/sharing';
import { field } from '../form-field';
import { formatDate } from '../format';
import { messages } from '../messages';
import { AccessTimeline } from './access-timeline';
import { ErrorAlert } from './error-alert';
import { QrCode } from './qr-code';

const m = messages.share;
const DAY_MS = 86_400_000;
type Expiry = keyof typeof m.expiryOptions;

const errorText = (error: unknown) =>
  error instanceof ApiError ? error.message : messages.errors.unexpected;

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

/** Shares with people and links for one file; the server enforces the link policy and says why. */
export function ShareDialog({
  file,
  ownerId,
  onClose,
}: {
  file: StoredFile;
  ownerId: string;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [shares, setShares] = useState<Share[]>([]);
  const [links, setLinks] = useState<Link[]>([]);
  const [created, setCreated] = useState<CreatedLink>();
  const [expiry, setExpiry] = useState<Expiry>('7');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [policy, setPolicy] = useState<LinkPolicy>();
  const [activity, setActivity] = useState<{ items: AccessEvent[]; total: number }>();
  const [groups, setGroups] = useState<Group[]>([]);
  const [members, setMembers] = useState<GroupMember[]>([]);

  const reload = async () => {
    try {
      const [nextShares, nextLinks, nextActivity] = await Promise.all([
        listShares(file.id),
        listLinks(file.id),
        loadActivity(file.id),
      ]);
      setShares(nextShares);
      setLinks(nextLinks);
      setActivity(nextActivity);
      // Names the members of shared groups in the activity; a group the owner cannot read is left out.
      const groupIds = nextShares.flatMap((share) => (share.groupId ? [share.groupId] : []));
      const lists = await Promise.all(groupIds.map((id) => listMembers(id).catch(() => [])));
      setMembers(lists.flat());
    } catch (caught) {
      setError(errorText(caught));
    }
  };
  useEffect(() => {
    ref.current?.showModal();
    void reload();
    // The groups the sharer may share with: their own, or every group for an admin.
    listGroups().then(setGroups, (caught: unknown) => setError(errorText(caught)));
    loadLinkPolicy().then(
      (loaded) => {
        setPolicy(loaded);
        const choices = expiryChoices(loaded);
        setExpiry((current) => (choices.includes(current) ? current : choices[0]));
      },
      () => undefined,
    );
  }, []);

  const act = async (work: () => Promise<string | undefined>) => {
    setError(undefined);
    try {
      setNotice(await work());
      await reload();
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  const addShare = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const email = field(new FormData(form), 'email').trim();
    void act(async () => {
      await shareWith(file.id, { email });
      form.reset();
      return m.shared(email);
    });
  };

  const addGroupShare = (event: SubmitEvent) => {
    event.preventDefault();
    const groupId = field(new FormData(event.currentTarget as HTMLFormElement), 'groupId');
    const group = groups.find((candidate) => candidate.id === groupId);
    void act(async () => {
      await shareWith(file.id, { groupId });
      return m.sharedWithGroup(group?.name ?? '');
    });
  };

  const addLink = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const password = field(data, 'password');
    const maxDownloads = field(data, 'maxDownloads');
    const recipients = field(data, 'recipients')
      .split(/[\s,;]+/)
      .filter(Boolean);
    void act(async () => {
      setCreated(
        await createLink(file.id, {
          expiresAt: expiresAt(expiry, field(data, 'customDate')),
          ...(password ? { password } : {}),
          ...(maxDownloads ? { maxDownloads: Number(maxDownloads) } : {}),
          ...(recipients.length > 0 ? { recipients } : {}),
        }),
      );
      return m.created;
    });
  };

  const copy = async (url: string) => {
    await navigator.clipboard.writeText(url);
    setNotice(m.copied);
  };

  return (
    <dialog ref={ref} class="share" aria-labelledby="share-title" onClose={onClose}>
      <div class="dialog-head">
        <h2 id="share-title">{m.title(file.name)}</h2>
        <button type="button" class="secondary" onClick={() => ref.current?.close()}>
          {m.close}
        </button>
      </div>
      <ErrorAlert message={error} />
      <p class="notice" role="status">
        {notice}
      </p>

      <h3>{m.peopleTitle}</h3>
      <form class="inline" onSubmit={addShare}>
        <label for="share-email">{m.email}</label>
        <input id="share-email" name="email" type="email" required autoComplete="off" />
        <button type="submit">{m.add}</button>
      </form>
      {groups.length > 0 && (
        <form class="inline" onSubmit={addGroupShare}>
          <label for="share-group">{m.group}</label>
          <select id="share-group" name="groupId" required>
            {groups.map((group) => (
              <option key={group.id} value={group.id}>
                {m.groupOption(group.name, group.memberCount)}
              </option>
            ))}
          </select>
          <button type="submit">{m.addGroup}</button>
        </form>
      )}
      {shares.length === 0 ? (
        <p class="empty">{m.noShares}</p>
      ) : (
        <ul class="plain">
          {shares.map((share) => (
            <li key={share.id} data-testid="share">
              {share.groupId ? (
                <span>
                  <span class="badge">{m.groupBadge}</span> {share.groupName}
                </span>
              ) : (
                <span>{share.email}</span>
              )}
              <button
                type="button"
                class="secondary danger"
                aria-label={
                  share.groupId
                    ? m.revokeGroupShareLabel(share.groupName ?? '')
                    : m.revokeShareLabel(share.email ?? '')
                }
                onClick={() => void act(async () => void (await revokeShare(file.id, share.id)))}
              >
                {m.revoke}
              </button>
            </li>
          ))}
        </ul>
      )}

      <h3>{m.linksTitle}</h3>
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
                  <button
                    type="button"
                    class="secondary danger"
                    aria-label={m.revokeLinkLabel(formatDate(link.createdAt))}
                    onClick={() => void act(async () => void (await revokeLink(link.id)))}
                  >
                    {m.revoke}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}

      <h3>{m.activityTitle}</h3>
      {activity && (
        <AccessTimeline
          events={activity.items}
          total={activity.total}
          recipients={[
            ...shares.flatMap((share) =>
              share.userId && share.email ? [{ userId: share.userId, email: share.email }] : [],
            ),
            ...members,
          ]}
          links={links}
          ownerId={ownerId}
        />
      )}
    </dialog>
  );
}
