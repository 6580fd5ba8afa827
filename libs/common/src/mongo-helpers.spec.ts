import { DUPLICATE_KEY_ERROR, upsertRetryingRace } from './mongo-helpers';

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
