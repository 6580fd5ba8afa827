import type { Ceremony } from './webauthn-challenge.schema';
import type { WebAuthnChallengeStore } from './webauthn-challenge.store';

export const CHALLENGE_SPENT =
  'challengeId is unknown, expired or already used; ask for new options and try again';

/** The open ceremony's challenge, or the caller's own error when it cannot be claimed. */
export async function claimOrRefuse(
  store: WebAuthnChallengeStore,
  challengeId: string,
  ceremony: Ceremony,
  userId: string | undefined,
  refuse: (message: string) => Error,
): Promise<string> {
  const challenge = await store.claim(challengeId, ceremony, userId);
  if (challenge === undefined) throw refuse(CHALLENGE_SPENT);
  return challenge;
}
