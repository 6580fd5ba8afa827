import type { ComponentChildren } from 'preact';

interface CreateItemFormProps {
  /** Names the form's heading, `<id>-title`, which labels the form. */
  id: string;
  title: string;
  submitLabel: string;
  busy: boolean;
  /** Given the form's fields and a way to clear them, to call once the item exists. */
  onCreate: (data: FormData, clear: () => void) => void;
  children: ComponentChildren;
}

/** The card above a list that makes a new item of it: a heading, the fields, one button. */
export function CreateItemForm({
  id,
  title,
  submitLabel,
  busy,
  onCreate,
  children,
}: CreateItemFormProps) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    onCreate(new FormData(form), () => form.reset());
  };

  return (
    <form class="card wide" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      <div class="row start">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
