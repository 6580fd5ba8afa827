export { ensureEmbeddedDbBinary, type EnsureEmbeddedDbBinaryOptions } from './embedded-db-binary';
export {
  ensureCachedGoBuild,
  runCommand,
  strongroomCacheDir,
  type CachedGoBuild,
} from './go-build';
export { EmbeddedDbProcess, type EmbeddedDbStartOptions } from './embedded-db.process';
export {
  EMBEDDED_DB_REGISTRY_FILE,
  embeddedDbRegistryPath,
  readEmbeddedDbRegistration,
  removeEmbeddedDbRegistration,
  writeEmbeddedDbRegistration,
  type EmbeddedDbRegistration,
} from './embedded-db-registry';
