import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  createUser,
  deleteUser,
  listUsers,
  type ManagedUser,
  type Role,
  ROLES,
  type UserChange,
  type UserPage,
  updateUser,
  USERS_PAGE_SIZE,
} from '../api/admin';
import { errorText } from '../api/api-error';
import type { Me } from '../api/session';
import { DataTable } from '../components/data-table';
import { DeleteUserDialog } from '../components/delete-user-dialog';
import { ErrorAlert } from '../components/error-alert';
import { ListSearch } from '../components/list-search';
import { field } from '../form-field';
import { formatBytes } from '../format';
import { messages } from '../messages';
import { Pager } from '../components/pager';
import { RowAction } from '../components/row-action';
import { SectionStatus } from '../components/section-status';
import { parseQuota, quotaInput } from '../quota';
import { useListQuery } from '../use-list-query';

const m = messages.admin.users;

/** Admins: find, add, change and delete accounts. Every refusal shows the API's own message. */
export function AdminUsersPage({ me }: { me: Me }) {
  const { search, setSearch, query, setQuery } = useListQuery({ q: '', page: 1 });
  const [page, setPage] = useState<UserPage>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [editingQuota, setEditingQuota] = useState<string>();
  const [deleting, setDeleting] = useState<ManagedUser>();

  const reload = useCallback(async () => {
    try {
      setPage(await listUsers(query.q, query.page));
    } catch (caught) {
      setError(errorText(caught));
    }
  }, [query]);
  useEffect(() => {
    void reload();
  }, [reload]);

  /** One change, then the list as the server now has it; a refusal leaves the row as it was. */
  async function change(user: ManagedUser, patch: UserChange, success: (u: ManagedUser) => string) {
    setError(undefined);
    setNotice(undefined);
    try {
      const updated = await updateUser(user.id, patch);
      await reload();
      setNotice(success(updated));
      return true;
    } catch (caught) {
      setError(errorText(caught));
      await reload();
      return false;
    }
  }

  async function confirmDelete(user: ManagedUser) {
    setDeleting(undefined);
    setError(undefined);
    try {
      await deleteUser(user.id);
      await reload();
      setNotice(m.deleted(user.email));
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  const pages = page ? Math.max(1, Math.ceil(page.total / USERS_PAGE_SIZE)) : 1;

  return (
    <section>
      <div class="files-head">
        <h1>{m.title}</h1>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)}>
            {m.createOpen}
          </button>
        )}
      </div>
      {creating && (
        <CreateUserForm
          onCreated={async (user) => {
            setCreating(false);
            setError(undefined);
            await reload();
            setNotice(m.created(user.email));
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <SectionStatus error={error} notice={notice} />
      <ListSearch
        id="user-search"
        label={m.search}
        value={search}
        onInput={setSearch}
        count={page && m.total(page.total)}
      />
      <DataTable
        rows={page?.items}
        rowKey={(user) => user.id}
        label={m.tableLabel}
        rowTestId="user-row"
        tableClass="users"
        empty={m.noMatch}
        columns={[
          {
            header: m.email,
            kind: 'name',
            cell: (user) => (
              <>
                {user.email}
                {user.id === me.id && <span class="muted"> {m.you}</span>}
                {user.displayName && <div class="muted">{user.displayName}</div>}
              </>
            ),
          },
          {
            header: m.role,
            cell: (user) => (
              <select
                aria-label={m.roleLabel(user.email)}
                value={user.role}
                onChange={(event) => {
                  const role = event.currentTarget.value as Role;
                  void change(user, { role }, (u) => m.roleChanged(u.email, m.roles[u.role]));
                }}
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {m.roles[role]}
                  </option>
                ))}
              </select>
            ),
          },
          {
            header: m.status,
            cell: (user) => (
              <span class={`badge ${user.disabled ? 'revoked' : 'active'}`}>
                {user.disabled ? m.disabled : m.active}
              </span>
            ),
          },
          {
            header: m.storage,
            kind: 'num',
            cell: (user) =>
              editingQuota === user.id ? (
                <QuotaForm
                  user={user}
                  onSave={async (quota) => {
                    const saved = await change(user, { quota }, (u) =>
                      u.quota === null
                        ? m.quotaRemoved(u.email)
                        : m.quotaSet(u.email, formatBytes(u.quota)),
                    );
                    if (saved) setEditingQuota(undefined);
                  }}
                  onCancel={() => setEditingQuota(undefined)}
                />
              ) : user.quota === null ? (
                m.usedNoQuota(formatBytes(user.storageUsed))
              ) : (
                m.usedOf(formatBytes(user.storageUsed), formatBytes(user.quota))
              ),
          },
          {
            header: m.actions,
            kind: 'actions',
            cell: (user) => (
              <>
                <RowAction
                  label={m.setQuotaLabel(user.email)}
                  onClick={() => {
                    setError(undefined);
                    setEditingQuota(user.id);
                  }}
                >
                  {m.setQuota}
                </RowAction>
                <RowAction
                  label={user.disabled ? m.enableLabel(user.email) : m.disableLabel(user.email)}
                  onClick={() =>
                    void change(user, { disabled: !user.disabled }, (u) =>
                      u.disabled ? m.disabledNotice(u.email) : m.enabledNotice(u.email),
                    )
                  }
                >
                  {user.disabled ? m.enable : m.disable}
                </RowAction>
                <RowAction
                  label={m.deleteLabel(user.email)}
                  tone="danger"
                  onClick={() => setDeleting(user)}
                >
                  {m.delete}
                </RowAction>
              </>
            ),
          },
        ]}
      />
      <Pager
        page={query.page}
        pages={pages}
        onPage={(page) => setQuery((current) => ({ ...current, page }))}
      />
      {deleting && (
        <DeleteUserDialog
          user={deleting}
          onConfirm={() => void confirmDelete(deleting)}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </section>
  );
}

function QuotaForm(props: {
  user: ManagedUser;
  onSave: (quota: number | null) => Promise<void>;
  onCancel: () => void;
}) {
  const [text, setText] = useState(quotaInput(props.user.quota));
  const [invalid, setInvalid] = useState(false);
  const id = `quota-${props.user.id}`;
  return (
    <form
      class="rename"
      onSubmit={(event) => {
        event.preventDefault();
        const quota = parseQuota(text);
        setInvalid(quota === undefined);
        if (quota !== undefined) void props.onSave(quota);
      }}
    >
      <input
        id={id}
        aria-label={m.quotaLabel(props.user.email)}
        aria-describedby={`${id}-hint`}
        aria-invalid={invalid}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => event.key === 'Escape' && props.onCancel()}
      />
      <button type="submit">{m.save}</button>
      <button type="button" class="secondary" onClick={props.onCancel}>
        {m.cancel}
      </button>
      <small
        id={`${id}-hint`}
        class={invalid ? 'hint error' : 'hint'}
        role={invalid ? 'alert' : undefined}
      >
        {invalid ? m.quotaInvalid : m.quotaHint}
      </small>
    </form>
  );
}

function CreateUserForm(props: {
  onCreated: (user: ManagedUser) => Promise<void>;
  onCancel: () => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(form: FormData) {
    setBusy(true);
    try {
      const displayName = field(form, 'displayName').trim();
      const user = await createUser({
        email: field(form, 'email'),
        password: field(form, 'password'),
        role: field(form, 'role') as Role,
        ...(displayName && { displayName }),
      });
      await props.onCreated(user);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      class="card wide create-user"
      aria-labelledby="create-user-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
      }}
    >
      <h2 id="create-user-title">{m.createTitle}</h2>
      <p class="muted">{m.createIntro}</p>
      <ErrorAlert message={error} />
      <label for="new-email">{m.createEmail}</label>
      <input id="new-email" name="email" type="email" required autocomplete="off" />
      <label for="new-name">{m.createName}</label>
      <input id="new-name" name="displayName" type="text" maxLength={100} autocomplete="off" />
      <label for="new-password">{m.createPassword}</label>
      <input
        id="new-password"
        name="password"
        type="password"
        required
        autocomplete="new-password"
      />
      <label for="new-role">{m.createRole}</label>
      <select id="new-role" name="role">
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {m.roles[role]}
          </option>
        ))}
      </select>
      <div class="row">
        <button type="button" class="secondary" onClick={props.onCancel}>
          {m.cancel}
        </button>
        <button type="submit" disabled={busy}>
          {m.create}
        </button>
      </div>
    </form>
  );
}
