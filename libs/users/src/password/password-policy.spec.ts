import { PasswordPolicy } from './password-policy';
import { PasswordStrengthEstimator } from './password-strength-estimator';

describe('PasswordPolicy', () => {
  const strength = new PasswordStrengthEstimator();
  const policy = new PasswordPolicy(strength);
  afterAll(() => strength.onModuleDestroy());
  const context = { email: 'marta.kowalska@example.com' };

  it('accepts a long, unrelated passphrase', async () => {
    await expect(policy.problems('copper kettle orbit lantern 42', context)).resolves.toEqual([]);
  });

  it.each([
    ['short1!', /12 to 128 characters/],
    ['x'.repeat(129), /12 to 128 characters/],
    ['Marta.Kowalska-2024!', /must not contain your email/],
    ['password1234', /too easy to guess/],
    ['qwertyuiopasdf', /too easy to guess/],
    ['aaaaaaaaaaaaaaaa', /too easy to guess/],
  ])('refuses %p', async (password, expected) => {
    const problems = await policy.problems(password, context);
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  it('counts characters, not UTF-16 units', async () => {
    const problems = await policy.problems('🔑'.repeat(11), context);
    expect(problems).toEqual([expect.stringMatching(/12 to 128 characters/)]);
  });
});
