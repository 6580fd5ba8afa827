import type { Group } from '../api/groups';
import type { Share, ShareAudience } from '../api/sharing';
import { field } from '../form-field';
import { messages } from '../messages';
import { RowAction } from './row-action';

const m = messages.share;

/**
 * Whom something is shared with: a registered person by address, or one of the sharer's groups,
 * and the shares so far, each revocable. The caller runs each change (`act` shows its notice or
 * error and reloads `shares`), so a file and a bundle share through the same form.
 */
export function ShareRecipients({
  shares,
  groups,
  act,
  share,
  revoke,
}: {
  shares: Share[];
  groups: Group[];
  act: (work: () => Promise<string>) => unknown;
  share: (audience: ShareAudience) => Promise<unknown>;
  revoke: (share: Share) => Promise<void>;
}) {
  const addShare = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const email = field(new FormData(form), 'email').trim();
    void act(async () => {
      await share({ email });
      form.reset();
      return m.shared(email);
    });
  };

  const addGroupShare = (event: SubmitEvent) => {
    event.preventDefault();
    const groupId = field(new FormData(event.currentTarget as HTMLFormElement), 'groupId');
    const group = groups.find((candidate) => candidate.id === groupId);
    void act(async () => {
      await share({ groupId });
      return m.sharedWithGroup(group?.name ?? '');
    });
  };

  const who = (each: Share) =>
    each.groupId ? m.groupWho(each.groupName ?? '') : (each.email ?? '');

  return (
    <>
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
          {shares.map((each) => (
            <li key={each.id} data-testid="share">
              {each.groupId ? (
                <span>
                  <span class="badge">{m.groupBadge}</span> {each.groupName}
                </span>
              ) : (
                <span>{each.email}</span>
              )}
              <RowAction
                label={
                  each.groupId
                    ? m.revokeGroupShareLabel(each.groupName ?? '')
                    : m.revokeShareLabel(each.email ?? '')
                }
                tone="danger"
                onClick={() =>
                  void act(async () => {
                    await revoke(each);
                    return m.shareRevoked(who(each));
                  })
                }
              >
                {m.revoke}
              </RowAction>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
