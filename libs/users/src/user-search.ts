import { escapeRegex } from '@strongroom/common';

/** The admin list's query: accounts matching the search text, oldest first. */
export function userSearchQuery(q?: string): {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
} {
  const text = q?.trim();
  const filter = text
    ? {
        $or: [
          { email: { $regex: escapeRegex(text.toLowerCase()) } },
          { displayName: { $regex: escapeRegex(text), $options: 'i' } },
        ],
      }
    : {};
  return { filter, sort: { createdAt: 1, _id: 1 } };
}
