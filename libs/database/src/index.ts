export { DatabaseModule } from './database.module';
export { waitForDatabase } from './wait-for-database';
export { describeMongoUrl } from './mongo-url';
