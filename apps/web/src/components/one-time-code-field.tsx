import { useEffect, useRef } from 'preact/hooks';

/**
 * A code from an authenticator app (6 digits, which phones can fill in from the app) or a
 * recovery code (letters and dashes, never auto-corrected).
 */
export function OneTimeCodeField({
  id,
  name = 'code',
  kind,
  label,
  hint,
  autoFocus,
}: {
  id: string;
  name?: string;
  kind: 'totp' | 'recovery' | 'either';
  label: string;
  hint?: string;
  autoFocus?: boolean;
}) {
  const totp = kind === 'totp';
  const input = useRef<HTMLInputElement>(null);
  // The autofocus attribute works only on page load; a step that appears later focuses itself.
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, []);
  return (
    <>
      <label for={id}>{label}</label>
      <input
        ref={input}
        id={id}
        name={name}
        type="text"
        class="code"
        required
        autoComplete={totp ? 'one-time-code' : 'off'}
        inputMode={totp ? 'numeric' : 'text'}
        pattern={totp ? '[0-9]{6}' : undefined}
        title={totp ? hint : undefined}
        maxLength={totp ? 6 : 32}
        autoCapitalize="off"
        spellcheck={false}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </>
  );
}
