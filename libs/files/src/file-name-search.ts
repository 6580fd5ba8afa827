import {
  escapeRegex,
  exceedsSearchKey,
  SEARCH_KEY_LENGTH,
  searchKeyPrefix,
  searchKeys,
} from '@strongroom/common';

/**
 * Name search served by an index (`{ uploader, status, nameKeys }`): the keys are the name's
 * tails from every word start (see searchKeys in libs/common), and a search is a prefix of one.
 */
export const NAME_KEY_LENGTH = SEARCH_KEY_LENGTH;

/** The keys a name is found by. */
export function nameSearchKeys(name: string): string[] {
  return searchKeys(name);
}

/** The file filter for a search text: a prefix of one key, and the whole text for long ones. */
export function nameSearchFilter(query: string): Record<string, unknown> {
  const filter: Record<string, unknown> = { nameKeys: searchKeyPrefix(query) };
  if (exceedsSearchKey(query)) {
    filter.name = { $regex: escapeRegex(query.trim()), $options: 'i' };
  }
  return filter;
}
