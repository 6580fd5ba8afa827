import type { ComponentChildren } from 'preact';

/**
 * A table that may scroll sideways on a phone. A named box takes the keyboard focus, so it can be
 * scrolled without a mouse even when no row holds a control; a region needs a name, so an unnamed
 * one stays a plain box.
 */
export function TableWrap({ label, children }: { label?: string; children: ComponentChildren }) {
  return label ? (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  ) : (
    <div class="table-wrap">{children}</div>
  );
}
