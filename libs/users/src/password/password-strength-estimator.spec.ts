import type { Worker } from 'node:worker_threads';
import { PasswordStrengthEstimator } from './password-strength-estimator';

describe('PasswordStrengthEstimator', () => {
  let estimator: PasswordStrengthEstimator;
  const currentWorker = (): Worker | undefined => estimator['worker'];

  beforeEach(() => {
    estimator = new PasswordStrengthEstimator();
  });
  afterEach(() => estimator.onModuleDestroy());

  it('starts no worker until the first estimate', () => {
    expect(currentWorker()).toBeUndefined();
  });

  it('scores a passphrase high and a common password low, with a reason', async () => {
    const strong = await estimator.estimate('copper kettle orbit lantern 42', []);
    const weak = await estimator.estimate('password1234', []);
    expect(strong.score).toBeGreaterThanOrEqual(3);
    expect(weak.score).toBeLessThan(3);
    expect(weak.warning).toEqual(expect.any(String));
  });

  it('takes the user inputs into account', async () => {
    const plain = await estimator.estimate('halvorsen-fjellstue', []);
    const personal = await estimator.estimate('halvorsen-fjellstue', ['halvorsen', 'fjellstue']);
    expect(personal.score).toBeLessThan(plain.score);
  });

  it('answers concurrent estimates each with its own result, from one worker', async () => {
    const passwords = ['aaaaaaaaaaaaaaaa', 'copper kettle orbit lantern 42'];
    const alone = await Promise.all(passwords.map((p) => estimator.estimate(p, [])));
    const worker = currentWorker();
    const together = await Promise.all(
      Array.from({ length: 20 }, (_, i) => estimator.estimate(passwords[i % 2], [])),
    );
    together.forEach((strength, i) => expect(strength).toEqual(alone[i % 2]));
    expect(currentWorker()).toBe(worker);
  });

  it('fails the estimates in flight when the worker dies, then starts a new one', async () => {
    await estimator.estimate('warm up the worker', []);
    const dying = currentWorker()!;
    const failed = expect(estimator.estimate('copper kettle orbit lantern 42', [])).rejects.toThrow(
      /worker exited/,
    );
    await dying.terminate();
    await failed;

    const after = await estimator.estimate('copper kettle orbit lantern 42', []);
    expect(after.score).toBeGreaterThanOrEqual(3);
    expect(currentWorker()).not.toBe(dying);
  });

  it('stops the worker on module destroy and fails what was still waiting', async () => {
    const inFlight = estimator.estimate('copper kettle orbit lantern 42', []);
    const worker = currentWorker()!;
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const failed = expect(inFlight).rejects.toThrow(/stopped/);
    await estimator.onModuleDestroy();
    await failed;
    await exited;
    expect(currentWorker()).toBeUndefined();
  });
});
