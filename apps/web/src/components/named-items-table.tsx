import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ConfirmDialog } from './confirm-dialog';
import { type Column, DataTable } from './data-table';
import { RenameForm } from './rename-form';
import { RowAction } from './row-action';

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
  columns: Column<T>[];
  nameDetail?: (item: T) => ComponentChildren;
  open: string | undefined;
  onOpen: (id: string | undefined) => void;
  /** Calls `close` once renamed, so the form stays open on a refusal. */
  onRename: (item: T, name: string, close: () => void) => void;
  onDelete: (item: T) => void;
}) {
  const [renaming, setRenaming] = useState<string>();
  const [deleting, setDeleting] = useState<T>();

  return (
    <>
      <DataTable
        rows={items}
        rowKey={(item) => item.id}
        rowTestId={rowTestId}
        label={labels.tableLabel}
        empty={labels.empty}
        columns={[
          {
            header: labels.name,
            kind: 'name',
            cell: (item) =>
              renaming === item.id ? (
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
              ),
          },
          ...columns,
          {
            header: labels.actions,
            kind: 'actions',
            cell: (item) => (
              <>
                <RowAction
                  label={labels.openLabel(item.name)}
                  pressed={open === item.id}
                  onClick={() => onOpen(open === item.id ? undefined : item.id)}
                >
                  {labels.open}
                </RowAction>
                <RowAction
                  label={labels.renameLabel(item.name)}
                  onClick={() => setRenaming(item.id)}
                >
                  {labels.rename}
                </RowAction>
                <RowAction
                  label={labels.deleteLabel(item.name)}
                  tone="danger"
                  onClick={() => setDeleting(item)}
                >
                  {labels.delete}
                </RowAction>
              </>
            ),
          },
        ]}
      />
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
