import { PartBufferPool } from './part-buffer-pool';

describe('PartBufferPool', () => {
  it('hands out at most its count of buffers, and reuses those given back', async () => {
    const pool = new PartBufferPool(16, 2);
    const first = await pool.acquire();
    const second = await pool.acquire();
    expect(first).toHaveLength(16);
    expect(pool.inUse).toBe(2);

    let third: Buffer | undefined;
    const waiting = pool.acquire().then((buffer) => (third = buffer));
    await Promise.resolve();
    expect(third).toBeUndefined();

    pool.release(first);
    await waiting;
    expect(third).toBe(first);
    pool.release(second);
    expect(await pool.acquire()).toBe(second);
  });

  it('serves waiting uploads first come, first served', async () => {
    const pool = new PartBufferPool(8, 1);
    const held = await pool.acquire();
    const order: string[] = [];
    const a = pool.acquire().then((buffer) => {
      order.push('a');
      pool.release(buffer);
    });
    const b = pool.acquire().then(() => order.push('b'));
    pool.release(held);
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
  });
});
