import { useState } from 'preact/hooks';
import {
  addMember,
  createGroup,
  deleteGroup,
  type Group,
  listGroups,
  listMembers,
  removeMember,
  renameGroup,
} from '../api/groups';
import { CreateItemForm } from '../components/create-item-form';
import { NamedItemsTable } from '../components/named-items-table';
import { RowAction } from '../components/row-action';
import { SectionStatus } from '../components/section-status';
import { useManagedList } from '../components/security/use-managed-list';
import { Timestamp } from '../components/timestamp';
import { field } from '../form-field';
import { messages } from '../messages';

const m = messages.admin.groups;

/** Admins: create, rename and delete groups, and choose who belongs to each. */
export function AdminGroupsPage() {
  const { items: groups, error, notice, busy, run, reload } = useManagedList(listGroups);
  const [open, setOpen] = useState<string>();

  const create = (data: FormData, clear: () => void) => {
    const description = field(data, 'description').trim();
    void run(async () => {
      const group = await createGroup({
        name: field(data, 'name').trim(),
        ...(description && { description }),
      });
      clear();
      setOpen(group.id);
      return m.created(group.name);
    });
  };

  const selected = groups?.find((group) => group.id === open);

  return (
    <section>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      <CreateItemForm
        id="new-group"
        title={m.newTitle}
        submitLabel={m.create}
        busy={busy}
        onCreate={create}
      >
        <label for="group-name">{m.name}</label>
        <input id="group-name" name="name" type="text" maxLength={100} required />
        <label for="group-description">{m.description}</label>
        <input id="group-description" name="description" type="text" maxLength={500} />
      </CreateItemForm>
      <NamedItemsTable
        items={groups}
        labels={{
          ...m,
          open: m.manageMembers,
          openLabel: m.membersLabel,
          deleteConfirm: (group) => m.deleteConfirm(group.name),
        }}
        rowTestId="group-row"
        nameMaxLength={100}
        nameDetail={(group) => group.description && <div class="muted">{group.description}</div>}
        columns={[
          { header: m.members, kind: 'num', cell: (group) => group.memberCount },
          { header: m.createdAt, cell: (group) => <Timestamp at={group.createdAt} /> },
        ]}
        open={open}
        onOpen={setOpen}
        onRename={(group, name, close) =>
          void run(async () => {
            const renamed = await renameGroup(group.id, name);
            close();
            return m.renamed(renamed.name);
          })
        }
        onDelete={(group) =>
          void run(async () => {
            await deleteGroup(group.id);
            return m.deleted(group.name);
          })
        }
      />
      {selected && <GroupMembers key={selected.id} group={selected} onChanged={reload} />}
    </section>
  );
}

/** One group's members: add a registered account by its address, or remove one. */
function GroupMembers({ group, onChanged }: { group: Group; onChanged: () => Promise<void> }) {
  const { items: members, error, notice, busy, run } = useManagedList(() => listMembers(group.id));

  /** The member count in the groups table follows each change. */
  const change = (action: () => Promise<string>) =>
    run(async () => {
      const message = await action();
      await onChanged();
      return message;
    });

  const add = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const email = field(new FormData(form), 'email').trim();
    void change(async () => {
      await addMember(group.id, email);
      form.reset();
      return m.memberAdded(email, group.name);
    });
  };

  return (
    <section class="panel" aria-labelledby="members-title">
      <h2 id="members-title">{m.membersTitle(group.name)}</h2>
      <SectionStatus error={error} notice={notice} />
      <form class="inline" onSubmit={add}>
        <label for="member-email">{m.memberEmail}</label>
        <input id="member-email" name="email" type="email" required autoComplete="off" />
        <button type="submit" disabled={busy}>
          {m.addMember}
        </button>
      </form>
      {members && members.length === 0 && <p class="empty">{m.noMembers}</p>}
      {members && members.length > 0 && (
        <ul class="plain">
          {members.map((member) => (
            <li key={member.userId} data-testid="member">
              <span>{member.email}</span>
              <RowAction
                label={m.removeLabel(member.email, group.name)}
                tone="danger"
                disabled={busy}
                onClick={() =>
                  void change(async () => {
                    await removeMember(group.id, member.userId);
                    return m.memberRemoved(member.email, group.name);
                  })
                }
              >
                {m.remove}
              </RowAction>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
