import { escapeRegex, exceedsSearchKey, searchKeyPrefix, searchKeys } from '@strongroom/common';

/**
 * What the admin search finds an account by: the start of any word of its email or display name
 * (`alice.smith@example.com` by `alice`, `smith`, `example.com`; "Alice Smith" by `ali`, `smith`),
 * whatever the case. Stored as `searchKeys` and walked through its index.
 */
export function userSearchKeys(email: string, displayName?: string | null): string[] {
  return searchKeys(email, displayName ?? '');
}

/**
 * The admin list's query: accounts matching the search text, oldest first. A search is an
 * anchored prefix of one key, so it walks `{searchKeys}` instead of every account; its matches
 * are sorted in memory.
 */
export function userSearchQuery(q?: string): {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
} {
  const text = q?.trim();
  const sort = { createdAt: 1, _id: 1 } as const;
  if (!text) return { filter: {}, sort };
  const filter: Record<string, unknown> = { searchKeys: searchKeyPrefix(text) };
  if (exceedsSearchKey(text)) {
    filter.$or = [
      { email: { $regex: escapeRegex(text.toLowerCase()) } },
      { displayName: { $regex: escapeRegex(text), $options: 'i' } },
    ];
  }
  return { filter, sort };
}
