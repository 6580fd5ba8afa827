import type { SetupState } from '../api/setup-state';
import { messages } from '../messages';

const m = messages.register;

/** The server's password rules, shown beside a new-password field before anyone fails them. */
export function PasswordRules({ id, rules }: { id: string; rules: SetupState['passwordRules'] }) {
  return (
    <div id={id} class="rules">
      <h2>{m.rulesTitle}</h2>
      <ul>
        {m.rules(rules.minLength, rules.maxLength).map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
    </div>
  );
}
