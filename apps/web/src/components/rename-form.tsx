import { useEffect, useRef, useState } from 'preact/hooks';
import { messages } from '../messages';

/** An inline rename: the current name selected, Enter saves, Escape cancels. */
export function RenameForm({
  value,
  label,
  maxLength,
  onSave,
  onCancel,
}: {
  value: string;
  label: string;
  maxLength: number;
  onSave: (name: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  return (
    <form
      class="rename"
      onSubmit={(event) => {
        event.preventDefault();
        onSave(name.trim());
      }}
    >
      <input
        aria-label={label}
        value={name}
        required
        maxLength={maxLength}
        ref={input}
        onInput={(event) => setName(event.currentTarget.value)}
        onKeyDown={(event) => event.key === 'Escape' && onCancel()}
      />
      <button type="submit">{messages.files.save}</button>
      <button type="button" class="secondary" onClick={onCancel}>
        {messages.files.cancel}
      </button>
    </form>
  );
}
