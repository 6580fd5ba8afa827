import type { ComponentChildren } from 'preact';

/**
 * A button that acts on one row of a list: short visible text ("Delete"), and a name that says
 * which row, since a screen reader reads the button out of its row.
 */
export function RowAction({
  label,
  onClick,
  tone = 'secondary',
  disabled,
  pressed,
  children,
}: {
  label: string;
  onClick: () => void;
  /** `primary` for the row's main action, `danger` for one that destroys. */
  tone?: 'secondary' | 'danger' | 'primary';
  disabled?: boolean;
  /** For a button that shows or hides the row's details below the list. */
  pressed?: boolean;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={tone === 'primary' ? undefined : tone === 'danger' ? 'secondary danger' : 'secondary'}
      aria-label={label}
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
