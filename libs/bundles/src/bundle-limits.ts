/** The most files one bundle holds: its link page lists them all on one page. */
export const MAX_BUNDLE_FILES = 500;
