/** The search box above a paged list, with how many items match. */
export function ListSearch({
  id,
  label,
  value,
  onInput,
  count,
}: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** Left out until the first page arrives. */
  count?: string;
}) {
  return (
    <div class="toolbar">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {count !== undefined && <span class="count">{count}</span>}
    </div>
  );
}
