import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { InvalidationChannel } from './invalidation-channel';

type Message = { ids?: string[]; all?: boolean };
const ALL: Message = { all: true };

/** The parts of an ioredis connection the channel uses; `connect()` plays a (re)connection. */
class FakeSubscriber extends EventEmitter {
  status = 'connecting';
  subscribe = jest.fn(() => Promise.resolve(1));
  quit = jest.fn(() => Promise.resolve('OK'));
  connect() {
    this.status = 'ready';
    this.emit('ready');
  }
  lose() {
    this.status = 'reconnecting';
    this.emit('close');
  }
}

function fakeRedis() {
  const subscriber = new FakeSubscriber();
  const publish = jest.fn((_channel: string, _message: string) => Promise.resolve(1));
  const redis = { publish, duplicate: () => subscriber } as unknown as Redis;
  return { redis, publish, subscriber };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('InvalidationChannel', () => {
  it("tells this process's listeners first, then publishes on Redis", async () => {
    const { redis, publish } = fakeRedis();
    const channel = new InvalidationChannel<Message>(redis, 'test:channel', ALL);
    const heard: string[] = [];
    channel.onLocal((message) => heard.push(`local ${JSON.stringify(message)}`));
    publish.mockImplementation(() => (heard.push('published'), Promise.resolve(1)));
    await channel.announce({ ids: ['a'] });
    expect(heard).toEqual(['local {"ids":["a"]}', 'published']);
    expect(publish).toHaveBeenCalledWith('test:channel', '{"ids":["a"]}');
  });

  it('rejects an announcement Redis did not take, after the local listeners heard it', async () => {
    const { redis, publish } = fakeRedis();
    publish.mockRejectedValue(new Error('Connection is closed.'));
    const channel = new InvalidationChannel<Message>(redis, 'test:channel', ALL);
    const local = jest.fn();
    channel.onLocal(local);
    await expect(channel.announce({ ids: ['a'] })).rejects.toThrow('Connection is closed.');
    expect(local).toHaveBeenCalledWith({ ids: ['a'] });
  });

  it('is only local without Redis, and never live', async () => {
    const channel = new InvalidationChannel<Message>(null, 'test:channel', ALL);
    const local = jest.fn();
    channel.onLocal(local);
    await channel.announce({ ids: ['a'] });
    expect(local).toHaveBeenCalledTimes(1);
    expect(channel.shared).toBe(false);
    expect((await channel.subscribe(jest.fn())).live()).toBe(false);
  });

  it("hears the channel's messages once subscribed, and everything on each (re)connection and loss", async () => {
    const { redis, subscriber } = fakeRedis();
    const channel = new InvalidationChannel<Message>(redis, 'test:channel', ALL);
    const heard: Message[] = [];
    const subscribing = channel.subscribe((message) => heard.push(message));
    subscriber.connect();
    const { live } = await subscribing;
    expect(subscriber.subscribe).toHaveBeenCalledWith('test:channel');
    expect([heard, live()]).toEqual([[ALL], true]);

    subscriber.emit('message', 'test:channel', '{"ids":["b"]}');
    subscriber.emit('message', 'another:channel', '{"ids":["c"]}');
    subscriber.emit('message', 'test:channel', 'not json');
    expect(heard.slice(1)).toEqual([{ ids: ['b'] }, ALL]);

    subscriber.lose();
    expect([heard.length, live()]).toEqual([4, false]);
    subscriber.connect();
    await settle();
    expect(subscriber.subscribe).toHaveBeenCalledTimes(2);
    expect([heard.length, heard[4], live()]).toEqual([5, ALL, true]);

    await channel.close();
    expect(subscriber.quit).toHaveBeenCalled();
  });

  it('is not live again until the subscription is back', async () => {
    const { redis, subscriber } = fakeRedis();
    const channel = new InvalidationChannel<Message>(redis, 'test:channel', ALL);
    const subscribing = channel.subscribe(jest.fn());
    subscriber.connect();
    const { live } = await subscribing;
    subscriber.lose();
    let confirm: (count: number) => void = () => undefined;
    subscriber.subscribe.mockReturnValueOnce(new Promise((resolve) => (confirm = resolve)));
    subscriber.connect();
    expect(live()).toBe(false);
    confirm(1);
    await settle();
    expect(live()).toBe(true);
  });
});
