import type { Me } from '../api/session';
import { securitySections } from '../components/security/security-sections';
import { messages } from '../messages';

/** /settings/security: how the person signs in, one independent section after another. */
export function SecurityPage({ me }: { me: Me }) {
  return (
    <div class="settings">
      <h1>{messages.security.title}</h1>
      {securitySections.map((Section, index) => (
        <Section key={index} me={me} />
      ))}
    </div>
  );
}
