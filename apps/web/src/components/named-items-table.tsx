import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ConfirmDialog } from './confirm-dialog';
import { RenameForm } from './rename-form';
import { TableWrap } from './table-wrap';

interface Named {
  id: string;
  name: string;
}

/** What a page calls its things: every label a row's name cell and buttons need. */
export interface NamedItemsLabels<T> {
  tableLabel: string;
  empty: string;
  name: string;
  actions: string;
  open: string;
  openLabel: (name: string) => string;
  rename: string;
  renameLabel: (name: string) => string;
  delete: string;
  deleteLabel: (name: string) => string;
  deleteConfirm: (item: T) => string;
}

/**
 * A table of named things the caller manages: rename in place, open one (the page shows what it
 * holds below), delete after a confirmation. The page brings its own columns and actions' work.
 */
export function NamedItemsTable<T extends Named>({
  items,
  labels,
  rowTestId,
  nameMaxLength,
  columns,
  nameDetail,
  open,
  onOpen,
  onRename,
  onDelete,
}: {
  items: T[] | undefined;
  labels: NamedItemsLabels<T>;
  rowTestId: string;
  nameMaxLength: number;
  columns: { title: string; cell: (item: T) => ComponentChildren }[];
  nameDetail?: (item: T) => ComponentChildren;
  open: string | undefined;
  onOpen: (id: string | undefined) => void;
  /** Calls `close` once renamed, so the form stays open on a refusal. */
  onRename: (item: T, name: string, close: () => void) => void;
  onDelete: (item: T) => void;
}) {
  const [renaming, setRenaming] = useState<string>();
  const [deleting, setDeleting] = useState<T>();

  if (!items) return null;
  return (
    <>
      {items.length === 0 && <p class="empty">{labels.empty}</p>}
      {items.length > 0 && (
        <TableWrap label={labels.tableLabel}>
          <table>
            <thead>
              <tr>
                <th scope="col">{labels.name}</th>
                {columns.map((column) => (
                  <th key={column.title} scope="col">
                    {column.title}
                  </th>
                ))}
                <th scope="col">{labels.actions}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} data-testid={rowTestId}>
                  <td class="name">
                    {renaming === item.id ? (
                      <RenameForm
                        value={item.name}
                        label={labels.renameLabel(item.name)}
                        maxLength={nameMaxLength}
                        onCancel={() => setRenaming(undefined)}
                        onSave={(name) => onRename(item, name, () => setRenaming(undefined))}
                      />
                    ) : (
                      <>
                        {item.name}
                        {nameDetail?.(item)}
                      </>
                    )}
                  </td>
                  {columns.map((column) => column.cell(item))}
                  <td class="actions">
                    <button
                      type="button"
                      class="secondary"
                      aria-label={labels.openLabel(item.name)}
                      aria-pressed={open === item.id}
                      onClick={() => onOpen(open === item.id ? undefined : item.id)}
                    >
                      {labels.open}
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={labels.renameLabel(item.name)}
                      onClick={() => setRenaming(item.id)}
                    >
                      {labels.rename}
                    </button>
                    <button
                      type="button"
                      class="secondary danger"
                      aria-label={labels.deleteLabel(item.name)}
                      onClick={() => setDeleting(item)}
                    >
                      {labels.delete}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {deleting && (
        <ConfirmDialog
          text={labels.deleteConfirm(deleting)}
          confirm={labels.delete}
          onClose={() => setDeleting(undefined)}
          onConfirm={() => {
            const item = deleting;
            setDeleting(undefined);
            if (open === item.id) onOpen(undefined);
            onDelete(item);
          }}
        />
      )}
    </>
  );
}
