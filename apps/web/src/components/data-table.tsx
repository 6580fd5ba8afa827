import type { ComponentChildren } from 'preact';
import { TableWrap } from './table-wrap';

/** The stylesheet's cell classes: a wrapping name, an unbroken number, a row of buttons, ids. */
export type CellKind = 'name' | 'num' | 'actions' | 'ids';

/** One column: its header, what each row shows in it, and how the cell is set. */
export interface Column<T> {
  header: ComponentChildren;
  cell: (row: T, index: number) => ComponentChildren;
  kind?: CellKind;
  /** For a column the list is sorted by (or may be): announced on its header. */
  sort?: 'ascending' | 'descending' | 'none';
}

/**
 * Every list of the app as a table: nothing until the rows arrive, the empty message for none,
 * otherwise one row per item with a header cell per column.
 */
export function DataTable<T>({
  rows,
  rowKey,
  columns,
  empty,
  label,
  caption,
  tableClass,
  rowTestId,
}: {
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string | number;
  columns: Column<T>[];
  /** Shown instead of the table when there are no rows; without it, an empty table stands. */
  empty?: string;
  /** Names the scrolling box, so keyboard and screen-reader users can reach it: every table has one. */
  label: string;
  /** For screen readers only. */
  caption?: string;
  tableClass?: string;
  rowTestId?: string;
}) {
  if (!rows) return null;
  if (rows.length === 0 && empty !== undefined) return <p class="empty">{empty}</p>;
  return (
    <TableWrap label={label}>
      <table class={tableClass}>
        {caption && <caption class="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" aria-sort={column.sort}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row)} data-testid={rowTestId}>
              {columns.map((column, at) => (
                <td key={at} class={column.kind}>
                  {column.cell(row, index)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
