import { useEffect, useState } from 'preact/hooks';

/**
 * A searchable, paged list's query: the search box's text, and the query it settles into. A new
 * search starts again at page 1; the same text settling (the box's first pause, after the page
 * opens) leaves the page the reader turned to alone.
 */
export function useListQuery<Q extends { q: string; page: number }>(initial: Q) {
  const [search, setSearch] = useState(initial.q);
  const [query, setQuery] = useState(initial);
  // One request when the person pauses typing, not one per key.
  useEffect(() => {
    const timer = setTimeout(
      () =>
        setQuery((current) =>
          current.q === search ? current : { ...current, q: search, page: 1 },
        ),
      250,
    );
    return () => clearTimeout(timer);
  }, [search]);
  return { search, setSearch, query, setQuery };
}
