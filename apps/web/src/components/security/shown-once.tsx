import { messages } from '../../messages';

/** A secret the API returns only in its create answer: read-only, with a copy button. */
export function ShownOnce({ id, label, secret }: { id: string; label: string; secret: string }) {
  return (
    <div class="created-link">
      <label for={id}>{label}</label>
      <div class="inline">
        <input id={id} type="text" readOnly value={secret} />
        <button type="button" onClick={() => void navigator.clipboard.writeText(secret)}>
          {messages.security.copy}
        </button>
      </div>
    </div>
  );
}
