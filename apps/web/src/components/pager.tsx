import { messages } from '../messages';

const m = messages.pager;

/** Previous and next page of a paged list, with where the reader is; nothing for one page. */
export function Pager({
  page,
  pages,
  onPage,
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
}) {
  if (pages <= 1) return null;
  return (
    <div class="row pager">
      <button type="button" class="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {m.previous}
      </button>
      <span>
        {page} / {pages}
      </span>
      <button
        type="button"
        class="secondary"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        {m.next}
      </button>
    </div>
  );
}
