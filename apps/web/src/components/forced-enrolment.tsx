import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import { type SecondStep, session, type TotpEnrolment } from '../api/session';
import { messages } from '../messages';
import { useDeadline } from '../use-deadline';
import { ErrorAlert } from './error-alert';
import { RecoveryCodes } from './recovery-codes';
import { TotpSetup } from './totp-setup';

const m = messages.totpSetup;

/**
 * Sign-in for a role that must have a second factor (MFA_REQUIRED_ROLES) and has none yet: set
 * up the app, save the recovery codes, then in. Only the mfaToken's lifetime is given for it.
 */
export function ForcedEnrolment({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: SecondStep;
  onSignedIn: () => void;
  onRestart: (notice?: string) => void;
}) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [error, setError] = useState<string>();
  // Once confirmed the session exists: saving the codes may take as long as it takes.
  useDeadline(recoveryCodes ? undefined : challenge.expiresIn, () =>
    onRestart(messages.secondFactor.expired),
  );

  useEffect(() => {
    session
      .startEnrolment(challenge.mfaToken)
      .then(setEnrolment, (caught: unknown) => setError(errorText(caught)));
  }, [challenge.mfaToken]);

  const finish = async () => {
    try {
      await session.finishSignIn();
      onSignedIn();
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  return (
    <section class="card wide">
      <h1>{m.enrolTitle}</h1>
      <ErrorAlert message={error} />
      {recoveryCodes ? (
        <RecoveryCodes codes={recoveryCodes} onDone={() => void finish()} />
      ) : (
        <>
          <p>{m.required}</p>
          {enrolment ? (
            <TotpSetup
              enrolment={enrolment}
              confirm={(code) => session.confirmEnrolment(challenge.mfaToken, code)}
              onConfirmed={setRecoveryCodes}
            />
          ) : (
            !error && <p role="status">{m.starting}</p>
          )}
          <p>
            <button type="button" class="link" onClick={() => onRestart()}>
              {messages.secondFactor.startOver}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
