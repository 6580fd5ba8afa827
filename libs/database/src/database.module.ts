import { type BeforeApplicationShutdown, Logger, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { countPoolConnections } from './mongo-pool.metrics';
import { describeMongoUrl } from './mongo-url';
import { waitForDatabase } from './wait-for-database';

const logger = new Logger('Database');
/** Set while the application closes, when a disconnect is expected and not worth a warning. */
let closing = false;

function reportConnectionChanges(connection: Connection, target: string): Connection {
  closing = false;
  connection.on(
    'disconnected',
    () =>
      closing ||
      logger.warn(
        `lost the connection to MongoDB at ${target}; requests answer 503 until it returns`,
      ),
  );
  connection.on('reconnected', () => logger.log(`reconnected to MongoDB at ${target}`));
  return connection;
}

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const url = config.database.url;
        if (!url) throw new Error('MONGO_URL is not set and no embedded database was started');
        const target = describeMongoUrl(url);
        await waitForDatabase(url, { log: (message) => logger.warn(message) });
        logger.log(`connected to MongoDB at ${target}`);
        return {
          uri: url,
          serverSelectionTimeoutMS: config.database.serverSelectionTimeoutMs,
          // The driver's monitor notices a lost server at its next heartbeat (10 s by default);
          // readiness and the 503s follow that view, so it checks every 2 s.
          heartbeatFrequencyMS: 2_000,
          // Bounded and shrinking: under a burst the driver's default pool (up to 100, never
          // closed) grew on every instance and stayed grown, holding database connections idle.
          maxPoolSize: config.database.maxPoolSize,
          maxIdleTimeMS: config.database.maxIdleTimeMs,
          // Fail fast with 503 while the database is away instead of queueing requests in memory.
          bufferCommands: false,
          autoIndex: true,
          autoCreate: true,
          retryAttempts: 3,
          onConnectionCreate: (connection: Connection) =>
            countPoolConnections(connection.getClient()),
          connectionFactory: (connection: Connection) =>
            reportConnectionChanges(connection, target),
        };
      },
    }),
  ],
})
export class DatabaseModule implements BeforeApplicationShutdown {
  beforeApplicationShutdown(): void {
    closing = true;
  }
}
