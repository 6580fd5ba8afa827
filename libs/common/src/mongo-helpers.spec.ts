import { DUPLICATE_KEY_ERROR, findOneRecord, pageTotal, upsertRetryingRace } from './mongo-helpers';

const lostRace = () =>
  Object.assign(new Error('E11000 duplicate key'), { code: DUPLICATE_KEY_ERROR });

describe('upsertRetryingRace', () => {
  it('runs the upsert again after a lost race, and returns what the retry answers', async () => {
    const upsert = jest.fn().mockRejectedValueOnce(lostRace()).mockResolvedValueOnce('updated');
    await expect(upsertRetryingRace(upsert)).resolves.toBe('updated');
    expect(upsert).toHaveBeenCalledTimes(2);
  });

  it('gives up after the attempts, with the last duplicate-key error', async () => {
    const upsert = jest.fn().mockRejectedValue(lostRace());
    await expect(upsertRetryingRace(upsert, 3)).rejects.toMatchObject({
      code: DUPLICATE_KEY_ERROR,
    });
    expect(upsert).toHaveBeenCalledTimes(3);
  });

  it('does not retry any other failure', async () => {
    const upsert = jest.fn().mockRejectedValue(new Error('connection reset'));
    await expect(upsertRetryingRace(upsert)).rejects.toThrow('connection reset');
    expect(upsert).toHaveBeenCalledTimes(1);
  });
});

describe('pageTotal', () => {
  const model = () => ({
    countDocuments: jest.fn(() => ({ exec: () => Promise.resolve(3) })),
    estimatedDocumentCount: jest.fn(() => ({ exec: () => Promise.resolve(1000) })),
  });

  it('takes an unfiltered total from the collection metadata, counting nothing', async () => {
    const users = model();
    await expect(pageTotal(users, {})).resolves.toBe(1000);
    expect(users.countDocuments).not.toHaveBeenCalled();
  });

  it('counts what a filter matches', async () => {
    const users = model();
    await expect(pageTotal(users, { type: 'login_failed' })).resolves.toBe(3);
    expect(users.countDocuments).toHaveBeenCalledWith({ type: 'login_failed' });
    expect(users.estimatedDocumentCount).not.toHaveBeenCalled();
  });
});

describe('findOneRecord', () => {
  it("asks the model's collection for one document, with the projection when there is one", async () => {
    const findOne = jest.fn().mockResolvedValue({ _id: 'a', name: 'n' });
    const model = { collection: { findOne } } as unknown as Parameters<typeof findOneRecord>[0];
    await expect(findOneRecord(model, { name: 'a' }, { secret: 0 })).resolves.toEqual({
      _id: 'a',
      name: 'n',
    });
    await findOneRecord(model, { name: 'b' });
    expect(findOne.mock.calls).toEqual([
      [{ name: 'a' }, { projection: { secret: 0 } }],
      [{ name: 'b' }, {}],
    ]);
  });
});
