import type { SetupState } from '../api/setup-state';
import { messages } from '../messages';

const m = messages.register;

/** The server's password rules, shown beside a new-password field before anyone fails them. */
export function PasswordRules({
  id,
  rules,
  title = m.rulesTitle,
  Heading = 'h2',
}: {
  id: string;
  rules: SetupState['passwordRules'];
  title?: string;
  Heading?: 'h2' | 'h3';
}) {
  return (
    <div id={id} class="rules">
      <Heading>{title}</Heading>
      <ul>
        {m.rules(rules.minLength, rules.maxLength).map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
    </div>
  );
}
