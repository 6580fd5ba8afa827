export { LinkPolicyModule } from './link-policy.module';
export { LinkPolicyService } from './link-policy.service';
export {
  admitLink,
  admitRecipient,
  type EffectiveLinkPolicy,
  MAX_LINK_DOWNLOADS,
} from './effective-link-policy';
