export { BundlesModule } from './bundles.module';
export { BundlesService, type BundleWithFiles } from './bundles.service';
export { BundleErasureRegistry } from './bundle-erasure.registry';
export { BundleGrantRegistry, type BundleGrantSource } from './bundle-grant.registry';
export { archiveEntryNames } from './archive-entry-names';
export { sendZipArchive, type ArchivedFile } from './bundle-archive';
