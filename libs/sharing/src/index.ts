export { SharingModule } from './sharing.module';
export { LinkDownloadSlots } from './link-download-slots';
export { hashLinkToken, isWellFormedLinkToken, newLinkToken } from './link-token';
export { LINK_PAGE_STYLE, linkPageCsp, relativeExpiry } from './link-page';
