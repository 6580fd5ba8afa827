import type { ComponentChildren } from 'preact';
import type { BundleFile } from '../api/bundles';
import { formatBytes } from '../format';
import { messages } from '../messages';
import { DataTable } from './data-table';

const m = messages.bundles;

/** A bundle's files in the bundle's order, with what the reader may do to each. */
export function BundleFilesTable({
  files,
  label,
  rowTestId,
  actions,
}: {
  files: BundleFile[];
  label: string;
  rowTestId: string;
  actions: (file: BundleFile, index: number) => ComponentChildren;
}) {
  return (
    <DataTable
      rows={files}
      rowKey={(file) => file.id}
      rowTestId={rowTestId}
      label={label}
      empty={m.noFiles}
      columns={[
        { header: m.name, kind: 'name', cell: (file) => file.name },
        { header: m.size, kind: 'num', cell: (file) => formatBytes(file.size) },
        { header: m.actions, kind: 'actions', cell: actions },
      ]}
    />
  );
}
