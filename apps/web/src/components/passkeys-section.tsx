import { useEffect, useRef, useState } from 'preact/hooks';
import {
  addPasskey,
  listPasskeys,
  type Passkey,
  passkeysSupported,
  removePasskey,
  renamePasskey,
} from '../api/passkeys';
import { messages } from '../messages';
import { DataTable } from './data-table';
import { SectionStatus } from './section-status';
import { passkeyErrorMessage } from './passkey-errors';
import { RenameForm } from './rename-form';
import { RowAction } from './row-action';
import { Timestamp } from './timestamp';
import { useManagedList } from './security/use-managed-list';

const m = messages.passkeys;

/** The signed-in person's passkeys: list, add (the browser's prompt), rename, remove. */
export function PasskeysSection() {
  const {
    items: passkeys,
    error,
    notice,
    busy,
    run,
  } = useManagedList(listPasskeys, passkeyErrorMessage);
  const [newName, setNewName] = useState(m.defaultName);
  const [renaming, setRenaming] = useState<string>();
  const [removing, setRemoving] = useState<Passkey>();

  const add = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const added = await addPasskey(newName.trim());
      setNewName(m.defaultName);
      return m.added(added.name);
    });
  };

  return (
    <section class="panel" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">{m.title}</h2>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      <DataTable
        rows={passkeys}
        rowKey={(passkey) => passkey.id}
        label={m.tableLabel}
        empty={m.empty}
        columns={[
          {
            header: m.name,
            kind: 'name',
            cell: (passkey) =>
              renaming === passkey.id ? (
                <RenameForm
                  value={passkey.name}
                  label={m.renameLabel(passkey.name)}
                  maxLength={64}
                  onSave={(name) => {
                    setRenaming(undefined);
                    void run(async () => m.renamed((await renamePasskey(passkey.id, name)).name));
                  }}
                  onCancel={() => setRenaming(undefined)}
                />
              ) : (
                <>
                  {passkey.name}
                  {passkey.backedUp && <span class="badge">{m.synced}</span>}
                </>
              ),
          },
          { header: m.created, cell: (passkey) => <Timestamp at={passkey.createdAt} /> },
          {
            header: m.lastUsed,
            cell: (passkey) =>
              passkey.lastUsedAt ? <Timestamp at={passkey.lastUsedAt} /> : m.never,
          },
          {
            header: m.actions,
            kind: 'actions',
            cell: (passkey) => (
              <>
                <RowAction
                  label={`${m.rename} ${passkey.name}`}
                  onClick={() => setRenaming(passkey.id)}
                >
                  {m.rename}
                </RowAction>
                <RowAction
                  label={`${m.remove} ${passkey.name}`}
                  tone="danger"
                  onClick={() => setRemoving(passkey)}
                >
                  {m.remove}
                </RowAction>
              </>
            ),
          },
        ]}
      />
      {passkeysSupported() ? (
        <form onSubmit={add}>
          <label for="new-passkey-name">{m.newName}</label>
          <input
            id="new-passkey-name"
            value={newName}
            required
            maxLength={64}
            onInput={(event) => setNewName(event.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            {busy ? m.adding : m.add}
          </button>
        </form>
      ) : (
        <p>{m.unsupported}</p>
      )}
      {removing && (
        <RemoveDialog
          passkey={removing}
          onRemove={(password) => {
            setRemoving(undefined);
            void run(async () => {
              await removePasskey(removing.id, password);
              return m.removed(removing.name);
            });
          }}
          onClose={() => setRemoving(undefined)}
        />
      )}
    </section>
  );
}

/** Removal asks for the password, as the API does, in a modal <dialog>. */
function RemoveDialog({
  passkey,
  onRemove,
  onClose,
}: {
  passkey: Passkey;
  onRemove: (password: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState('');
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="remove-passkey-title" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onRemove(password);
        }}
      >
        <h3 id="remove-passkey-title">{m.removeTitle(passkey.name)}</h3>
        <p>{m.removeBody}</p>
        <label for="remove-passkey-password">{m.password}</label>
        <input
          id="remove-passkey-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
        <div class="row">
          <button type="button" class="secondary" onClick={() => ref.current?.close()}>
            {m.cancel}
          </button>
          <button type="submit" class="danger">
            {m.removeYes}
          </button>
        </div>
      </form>
    </dialog>
  );
}
