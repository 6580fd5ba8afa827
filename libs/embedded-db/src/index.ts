export { ensureEmbeddedDbBinary, type EnsureEmbeddedDbBinaryOptions } from './embedded-db-binary';
export { EmbeddedDbProcess, type EmbeddedDbStartOptions } from './embedded-db.process';
