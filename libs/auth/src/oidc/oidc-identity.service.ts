import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@strongroom/common';
import { OidcIdentity, type OidcIdentityDocument } from './oidc-identity.schema';
import { SsoFailure } from './sso-failure';

/** Links between provider identities (issuer, subject) and our accounts. */
@Injectable()
export class OidcIdentityService {
  constructor(@InjectModel(OidcIdentity.name) private readonly identities: Model<OidcIdentity>) {}

  find(issuer: string, subject: string): Promise<OidcIdentityDocument | null> {
    return this.identities.findOne({ issuer, subject }).exec();
  }

  /** The unique indexes decide a race: a second link of either side is refused, not merged. */
  async link(link: { issuer: string; subject: string; userId: string; email?: string }) {
    try {
      return await this.identities.create({ ...link, lastSignInAt: new Date() });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new SsoFailure('identity_in_use');
      throw error;
    }
  }

  async recordSignIn(identity: OidcIdentityDocument): Promise<void> {
    await this.identities
      .updateOne({ _id: identity._id }, { $set: { lastSignInAt: new Date() } })
      .exec();
  }

  async forget(identity: OidcIdentityDocument): Promise<void> {
    await this.identities.deleteOne({ _id: identity._id }).exec();
  }

  async deleteAllFor(userId: string): Promise<void> {
    await this.identities.deleteMany({ userId }).exec();
  }
}
