import { useEffect, useRef, useState } from 'preact/hooks';
import type { ManagedUser } from '../api/admin';
import { formatBytes } from '../format';
import { messages } from '../messages';

const m = messages.admin.users;

/**
 * The erasure warning: what goes, that nothing comes back, and the person's email typed out, so a
 * misplaced click cannot erase an account.
 */
export function DeleteUserDialog(props: {
  user: ManagedUser;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const matches = typed.trim().toLowerCase() === props.user.email;
  return (
    <dialog ref={ref} class="erase" aria-labelledby="erase-title" onClose={props.onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) props.onConfirm();
        }}
      >
        <h2 id="erase-title">{m.deleteTitle(props.user.email)}</h2>
        <p>{m.deleteIntro}</p>
        <ul>
          {m.deleteErases(formatBytes(props.user.storageUsed)).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p class="alert error">{m.deleteKeeps}</p>
        <label for="erase-confirm">{m.deleteConfirmLabel(props.user.email)}</label>
        <input
          id="erase-confirm"
          type="text"
          autocomplete="off"
          spellcheck={false}
          value={typed}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
        <div class="row">
          <button type="button" class="secondary" onClick={() => ref.current?.close()}>
            {m.cancel}
          </button>
          <button type="submit" class="danger" disabled={!matches}>
            {m.deleteConfirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
