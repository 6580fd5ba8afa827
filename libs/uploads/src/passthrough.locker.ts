import type { Lock, Locker } from '@tus/server';

const UNLOCKED: Lock = { lock: () => Promise.resolve(), unlock: () => Promise.resolve() };

/**
 * @tus/server's default locker lives in one process; ours must hold across instances, so writes
 * are serialised by the conditional update on the upload record's offset instead (the loser gets
 * 409), and this locker lets every request through.
 */
export class PassthroughLocker implements Locker {
  newLock(): Lock {
    return UNLOCKED;
  }
}
