import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import type { StoredFile } from '../api/files';
import { type Group, type GroupMember, listGroups, listMembers } from '../api/groups';
import {
  type AccessEvent,
  type CreatedLink,
  createLink,
  type Link,
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
import { messages } from '../messages';
import { AccessTimeline } from './access-timeline';
import { ErrorAlert } from './error-alert';
import { LinkSection } from './link-section';

const m = messages.share;

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
    loadLinkPolicy().then(setPolicy, () => undefined);
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
      <LinkSection
        policy={policy}
        links={links}
        created={created}
        onCreate={(link) =>
          void act(async () => {
            setCreated(await createLink(file.id, link));
            return m.created;
          })
        }
        onRevoke={(link) => void act(async () => void (await revokeLink(link.id)))}
        onCopied={() => setNotice(m.copied)}
      />

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
