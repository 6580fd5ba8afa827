import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import { type SecondStep, session } from '../api/session';
import { PasskeySignInButton } from '../components/passkey-sign-in-button';
import { ErrorAlert } from '../components/error-alert';
import { ForcedEnrolment } from '../components/forced-enrolment';
import { SecondFactorStep } from '../components/second-factor-step';
import { SsoSignIn } from '../components/sso-sign-in';
import { field } from '../form-field';
import { messages } from '../messages';

const m = messages.signIn;

/** Where sign-in stands; the mfaToken of a second step lives only here, in memory. */
type Step =
  | { kind: 'password' }
  | { kind: 'code'; challenge: SecondStep }
  | { kind: 'enrol'; challenge: SecondStep };

export function SignInPage({
  registrationOpen,
  notice,
}: {
  registrationOpen: boolean;
  notice?: string;
}) {
  const { route } = useLocation();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [stepNotice, setStepNotice] = useState<string>();

  const signedIn = () => route('/files', true);
  const restart = (message?: string) => {
    setStepNotice(message);
    setStep({ kind: 'password' });
  };

  if (step.kind === 'code')
    return (
      <SecondFactorStep challenge={step.challenge} onSignedIn={signedIn} onRestart={restart} />
    );
  if (step.kind === 'enrol')
    return <ForcedEnrolment challenge={step.challenge} onSignedIn={signedIn} onRestart={restart} />;
  return (
    <PasswordStep
      registrationOpen={registrationOpen}
      notice={stepNotice ?? notice}
      onSignedIn={signedIn}
      onSecondStep={(next) => {
        setStepNotice(undefined);
        setStep(next);
      }}
    />
  );
}

function PasswordStep({
  registrationOpen,
  notice,
  onSignedIn,
  onSecondStep,
}: {
  registrationOpen: boolean;
  notice?: string;
  onSignedIn: () => void;
  onSecondStep: (step: Exclude<Step, { kind: 'password' }>) => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await session.signIn(field(form, 'email'), field(form, 'password'));
      if (outcome.step === 'done') return onSignedIn();
      onSecondStep({ kind: outcome.step, challenge: outcome.challenge });
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  }

  return (
    <section class="card">
      <h1>{m.title}</h1>
      {notice && (
        <p class="alert info" role="status">
          {notice}
        </p>
      )}
      <ErrorAlert message={error} />
      <SsoSignIn />
      <form onSubmit={(event) => void submit(event)}>
        <label for="email">{m.email}</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label for="password">{m.password}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? m.submitting : m.submit}
        </button>
      </form>
      <PasskeySignInButton onSignedIn={onSignedIn} />
      {registrationOpen && (
        <p>
          {m.noAccount} <a href="/register">{m.register}</a>
        </p>
      )}
    </section>
  );
}
