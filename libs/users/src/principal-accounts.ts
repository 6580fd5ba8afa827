import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@strongroom/common';
import type { AccountRecord } from './user.schema';

/**
 * The account each access token's principal was resolved from, as authentication read it, so a
 * route about the caller's own account answers from that read instead of reading it again. An
 * account is held only as long as its principal object lives: the request, and the principal
 * cache's entry for the session, which any write to the account drops on every instance before
 * the write is answered. What it answers is therefore as fresh as the authentication itself.
 */
@Injectable()
export class PrincipalAccounts {
  private readonly accounts = new WeakMap<AuthenticatedUser, AccountRecord>();

  remember(principal: AuthenticatedUser, account: AccountRecord): void {
    this.accounts.set(principal, account);
  }

  of(principal: AuthenticatedUser): AccountRecord | undefined {
    return this.accounts.get(principal);
  }
}
