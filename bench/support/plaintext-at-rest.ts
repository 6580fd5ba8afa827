import type { TestingModuleBuilder } from '@nestjs/testing';
import { FileContentStore } from '@strongroom/files';

/**
 * The baseline for the encryption rows: the same application, except that new files get no
 * encryption header and are stored as files from before encryption existed are, in plaintext.
 * Only the benchmark builds it; the server itself has no setting that turns encryption off.
 */
class PlaintextContentStore extends FileContentStore {
  override headerForNewFile(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

export const storeNewFilesInPlaintext = (builder: TestingModuleBuilder): TestingModuleBuilder =>
  builder.overrideProvider(FileContentStore).useClass(PlaintextContentStore);
