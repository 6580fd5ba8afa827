import { type FileCounts, readyFilesEstimate } from './ready-files-estimate';

describe('readyFilesEstimate', () => {
  const collection = (all: number, pending: number) => {
    const counted: unknown[] = [];
    const files: FileCounts = {
      estimatedDocumentCount: () => Promise.resolve(all),
      countDocuments: (filter) => {
        counted.push(filter);
        return Promise.resolve(pending);
      },
    };
    return { files, counted };
  };

  it('takes the collection size from its metadata and counts only the pending uploads', async () => {
    const { files, counted } = collection(100_000, 3);
    await expect(readyFilesEstimate(files)).resolves.toBe(99_997);
    expect(counted).toEqual([{ status: 'pending' }]);
  });

  it('never answers below zero when the metadata lags behind the pending uploads', async () => {
    await expect(readyFilesEstimate(collection(2, 5).files)).resolves.toBe(0);
  });
});
