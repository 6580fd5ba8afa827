import type { ComponentChildren } from 'preact';

/**
 * A table that may scroll sideways on a phone: a named region, which takes the keyboard focus so
 * it can be scrolled without a mouse even when no row holds a control.
 */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
