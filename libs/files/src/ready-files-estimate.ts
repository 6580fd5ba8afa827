/** What the estimate needs of the files collection: a mongoose model or the driver's collection. */
export interface FileCounts {
  estimatedDocumentCount(): PromiseLike<number>;
  countDocuments(filter: { status: 'pending' }): PromiseLike<number>;
}

/**
 * The number of ready files without counting nearly every document: the collection's size from
 * its metadata less the pending uploads (few, counted through `{status, createdAt}`). An estimate:
 * the metadata can lag after an unclean shutdown, and an upload that finishes between the two
 * reads is counted twice or not at all.
 */
export async function readyFilesEstimate(files: FileCounts): Promise<number> {
  const [all, pending] = await Promise.all([
    files.estimatedDocumentCount(),
    files.countDocuments({ status: 'pending' }),
  ]);
  return Math.max(0, all - pending);
}
