export { BundlesModule } from './bundles.module';
export { BundlesService, type BundleWithFiles } from './bundles.service';
export { BundleErasureRegistry } from './bundle-erasure.registry';
export { BundleGrantRegistry, type BundleGrantSource } from './bundle-grant.registry';
export { BundleItemFieldsMigration } from './bundle-item-fields.migration';
export { MAX_BUNDLE_FILES } from './bundle-limits';
export { BundleItem, BundleItemSchema } from './bundle-item.schema';
export { archiveEntryNames } from './archive-entry-names';
export { sendZipArchive, type ArchivedFile } from './bundle-archive';
