import type { FunctionComponent } from 'preact';
import type { Me } from '../../api/session';
import { PasskeysSection } from '../passkeys-section';
import { ApiKeysSection } from './api-keys-section';
import { AuthenticatorSection } from './authenticator-section';
import { NotificationsSection } from './notifications-section';
import { PasswordSection } from './password-section';
import { SessionsSection } from './sessions-section';
import { WebhooksSection } from './webhooks-section';

export type SecuritySection = FunctionComponent<{ me: Me }>;

/**
 * The security page, top to bottom. Each section loads its own data and shows its own errors, so
 * adding one (passkeys, API keys, sessions) is a component and a line here.
 */
export const securitySections: SecuritySection[] = [
  AuthenticatorSection,
  PasskeysSection,
  PasswordSection,
  SessionsSection,
  ApiKeysSection,
  NotificationsSection,
  WebhooksSection,
];
