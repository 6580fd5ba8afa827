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
import { messages } from '../messages';
import { AccessTimeline } from './access-timeline';
import { LinkSection } from './link-section';
import { SectionStatus } from './section-status';
import { ShareRecipients } from './share-recipients';

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

  return (
    <dialog ref={ref} class="share" aria-labelledby="share-title" onClose={onClose}>
      <div class="dialog-head">
        <h2 id="share-title">{m.title(file.name)}</h2>
        <button type="button" class="secondary" onClick={() => ref.current?.close()}>
          {m.close}
        </button>
      </div>
      <SectionStatus error={error} notice={notice} />

      <h3>{m.peopleTitle}</h3>
      <ShareRecipients
        shares={shares}
        groups={groups}
        act={act}
        share={(audience) => shareWith(file.id, audience)}
        revoke={(share) => revokeShare(file.id, share.id)}
      />

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
