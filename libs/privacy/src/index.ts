export { PrivacyModule } from './privacy.module';
export { ACCOUNT_EXPORT_FORMAT } from './account-export.service';
