export { SharingModule } from './sharing.module';
export { LinkDownloadSlots } from './link-download-slots';
