import { Injectable } from '@nestjs/common';
import type { ClientContext } from '@strongroom/common';

export interface PasswordChange {
  userId: string;
  /** The owner asked for their personal API keys to die with the old password. */
  revokeApiKeys: boolean;
  client: ClientContext;
}

export type PasswordChangeListener = (change: PasswordChange) => Promise<void>;

/**
 * Who else reacts when a user changes their password; modules that hold other credentials of the
 * user (API keys) register here, so this lib need not know them.
 */
@Injectable()
export class PasswordChangeListeners {
  private readonly listeners: PasswordChangeListener[] = [];

  register(listener: PasswordChangeListener): void {
    this.listeners.push(listener);
  }

  async notify(change: PasswordChange): Promise<void> {
    for (const listener of this.listeners) await listener(change);
  }
}
