import { EventEmitter } from 'node:events';
import type { MongoClient } from 'mongodb';
import { Gauge, Registry } from 'prom-client';
import { countPoolConnections } from './mongo-pool.metrics';

describe('countPoolConnections', () => {
  const setup = () => {
    const gauge = new Gauge({
      name: 'pool_test',
      help: 'test',
      labelNames: ['state'],
      registers: [new Registry()],
    });
    const client = new EventEmitter();
    countPoolConnections(client as unknown as MongoClient, gauge);
    const value = async (state: string) =>
      (await gauge.get()).values.find((v) => v.labels.state === state)?.value;
    return { client, value };
  };

  it('shows both states at 0 before the first connection', async () => {
    const { value } = setup();
    expect(await value('open')).toBe(0);
    expect(await value('in_use')).toBe(0);
  });

  it('follows connections opened, checked out, checked in and closed', async () => {
    const { client, value } = setup();
    client.emit('connectionCreated');
    client.emit('connectionCreated');
    client.emit('connectionCheckedOut');
    client.emit('connectionCheckedOut');
    expect(await value('open')).toBe(2);
    expect(await value('in_use')).toBe(2);
    client.emit('connectionCheckedIn');
    client.emit('connectionClosed');
    expect(await value('open')).toBe(1);
    expect(await value('in_use')).toBe(1);
  });
});
