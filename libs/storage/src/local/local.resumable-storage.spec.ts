import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { LocalResumableStorage } from './local.resumable-storage';

describe('LocalResumableStorage.writePart', () => {
  let root: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'local-resumable-'));
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('writes each piece as it came, not one joined copy of the pieces that waited', async () => {
    const storage = new LocalResumableStorage(root);
    const target = { uploadId: '0123456789abcdef01234567', key: 'ab/object', state: {} };
    const pieces = [Buffer.from('first-'), Buffer.from('second-'), Buffer.from('third')];
    const data = new PassThrough();
    for (const piece of pieces) data.write(piece);
    data.end();
    const probe = await fs.open(path.join(root, 'probe'), 'w');
    const write = jest.spyOn(Object.getPrototypeOf(probe) as fs.FileHandle, 'write');
    await probe.close();
    try {
      const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
      await storage.writePart(target, { number: 1, position: 0, length }, data);
      expect(write.mock.calls.map(([buffer]) => buffer)).toEqual(pieces);
      write.mock.calls.forEach(([buffer], i) => expect(buffer).toBe(pieces[i]));
    } finally {
      write.mockRestore();
    }
    await storage.commit(target);
    expect(await fs.readFile(path.join(root, 'ab', 'object'), 'utf8')).toBe('first-second-third');
  });
});
