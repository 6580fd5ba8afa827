import type { MongoClient } from 'mongodb';
import { Gauge, register } from 'prom-client';

export const MONGO_POOL_CONNECTIONS = 'mongodb_pool_connections';

/** The process-wide gauge on the default registry (the one /metrics serves), made once. */
function poolGauge(): Gauge<'state'> {
  return (
    (register.getSingleMetric(MONGO_POOL_CONNECTIONS) as Gauge<'state'> | undefined) ??
    new Gauge({
      name: MONGO_POOL_CONNECTIONS,
      help: "Connections in the MongoDB driver's pools, by state: open (idle or in use) and in_use (checked out by an operation)",
      labelNames: ['state'],
    })
  );
}

/**
 * Counts a client's pool connections from the driver's connection-pool (CMAP) events, so /metrics
 * shows whether the pool grows under load and stays grown, and whether checked-out connections
 * ever come back. Call it before the client connects: with credentials, connecting already opens
 * one pooled connection for its ping.
 */
export function countPoolConnections(client: MongoClient, gauge = poolGauge()): void {
  gauge.inc({ state: 'open' }, 0);
  gauge.inc({ state: 'in_use' }, 0);
  client.on('connectionCreated', () => gauge.inc({ state: 'open' }));
  client.on('connectionClosed', () => gauge.dec({ state: 'open' }));
  client.on('connectionCheckedOut', () => gauge.inc({ state: 'in_use' }));
  client.on('connectionCheckedIn', () => gauge.dec({ state: 'in_use' }));
}
