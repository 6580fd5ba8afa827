import { UserSchema } from './user.schema';

describe('UserSchema', () => {
  it('indexes the admin list’s order, so a page is read off the index, not sorted in memory', () => {
    const keys = UserSchema.indexes().map(([key]) => key);
    expect(keys).toContainEqual({ createdAt: 1, _id: 1 });
  });
});
