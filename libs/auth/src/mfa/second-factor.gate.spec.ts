import type { UserDocument } from '@strongroom/users';
import { SecondFactorGate } from './second-factor.gate';

const user = { id: 'u1' } as unknown as UserDocument;

describe('SecondFactorGate', () => {
  it('fails closed when no second-factor check is plugged in', async () => {
    await expect(async () => new SecondFactorGate().challengeFor(user)).rejects.toThrow(
      /no second-factor check/,
    );
  });

  it('answers what the plugged-in check answers', async () => {
    const gate = new SecondFactorGate();
    const challenge = { mfaRequired: true as const, mfaToken: 't', expiresIn: 300 };
    gate.use((who) => Promise.resolve(who.id === 'u1' ? challenge : undefined));
    await expect(gate.challengeFor(user)).resolves.toBe(challenge);
  });

  it('names the other factors a user holds, asking each module that registered one', async () => {
    const gate = new SecondFactorGate();
    await expect(gate.otherFactorsOf('u1')).resolves.toEqual([]);
    gate.addFactor('passkey', (userId) => Promise.resolve(userId === 'u1'));
    await expect(gate.otherFactorsOf('u1')).resolves.toEqual(['passkey']);
    await expect(gate.otherFactorsOf('u2')).resolves.toEqual([]);
  });
});
