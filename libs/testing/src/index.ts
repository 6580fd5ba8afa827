export {
  assertTestDatabase,
  TEST_DATABASE_PREFIX,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from './test-database';
export { createTempDir, type TempDir } from './temp-dir';
