import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { indexesBuilt, isDuplicateKeyError } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { MfaCodeLedger } from './mfa-code-ledger.service';
import { newRecoveryCodes, RECOVERY_CODE_COUNT, recoveryCodeHash } from './recovery-codes';
import { base32Of, matchingStep, newTotpSecret, otpauthUrl, TOTP_CODE_PATTERN } from './totp-code';
import { TotpFactor } from './totp-factor.schema';
import { TotpSecretSealer } from './totp-secret-sealer';

export interface TotpEnrolmentSecret {
  secret: string;
  otpauthUrl: string;
}

export interface TotpFactorState {
  enabled: boolean;
  confirmedAt: Date | null;
  recoveryCodesLeft: number;
}

export type SecondFactorMethod = 'totp' | 'recovery';

export interface AcceptedCode {
  method: SecondFactorMethod;
  /** Recovery codes still unused, after this one. */
  recoveryCodesLeft: number;
}

const ALREADY_SET_UP =
  'A TOTP factor is already set up; remove it (DELETE /api/v1/users/me/mfa/totp) before enrolling again';

/** Enrolment, confirmation, checking and removal of a user's TOTP factor and recovery codes. */
@Injectable()
export class TotpFactorService {
  private readonly indexesBuilt: () => Promise<unknown>;

  constructor(
    @InjectModel(TotpFactor.name) private readonly factors: Model<TotpFactor>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealer: TotpSecretSealer,
    private readonly ledger: MfaCodeLedger,
  ) {
    this.indexesBuilt = indexesBuilt(factors);
  }

  async hasConfirmed(userId: string): Promise<boolean> {
    return (await this.factors.exists({ userId, confirmedAt: { $ne: null } }).exec()) !== null;
  }

  /** Whether a confirmed factor is set, for the user's own settings page; a pending one is not. */
  async state(userId: string): Promise<TotpFactorState> {
    const factor = await this.factors
      .findOne({ userId, confirmedAt: { $ne: null } })
      .lean()
      .exec();
    if (!factor) return { enabled: false, confirmedAt: null, recoveryCodesLeft: 0 };
    return {
      enabled: true,
      confirmedAt: factor.confirmedAt,
      recoveryCodesLeft: await this.recoveryCodesLeft(userId, factor),
    };
  }

  /** A new pending secret; replaces a pending one, refuses (409) over a confirmed one. */
  async enrol(userId: string, accountName: string): Promise<TotpEnrolmentSecret> {
    await this.indexesBuilt();
    const secret = newTotpSecret();
    const sealed = this.sealer.seal(userId, secret);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.factors
          .updateOne(
            { userId, confirmedAt: null },
            { $set: { ...sealed, recoveryCodeHashes: [], createdAt: new Date() } },
            { upsert: true },
          )
          .exec();
        break;
      } catch (error) {
        // Either a confirmed factor holds the user's slot, or a concurrent first enrolment won it.
        if (!isDuplicateKeyError(error)) throw error;
        if (attempt > 0 || (await this.hasConfirmed(userId))) {
          throw new ConflictException(ALREADY_SET_UP);
        }
      }
    }
    return {
      secret: base32Of(secret),
      otpauthUrl: otpauthUrl(secret, this.config.mfa.totpIssuer, accountName),
    };
  }

  /** Confirms the pending factor with a first code; returns the recovery codes, shown only now. */
  async confirm(userId: string, code: string): Promise<string[]> {
    const factor = await this.factors.findOne({ userId }).lean().exec();
    if (!factor) {
      throw new NotFoundException(
        'There is no TOTP enrolment to confirm; start one with POST /api/v1/users/me/mfa/totp',
      );
    }
    if (factor.confirmedAt) throw new ConflictException('The TOTP factor is already confirmed');
    const step = matchingStep(this.sealer.open(userId, factor), code.trim());
    if (step === undefined || !(await this.ledger.spendStep(userId, step))) {
      throw new BadRequestException(
        'code does not match the secret; enter the current 6-digit code from the authenticator app (and check its clock)',
      );
    }
    const recoveryCodes = newRecoveryCodes();
    const { matchedCount } = await this.factors
      .updateOne(
        { userId, confirmedAt: null, sealedSecret: factor.sealedSecret },
        {
          $set: {
            confirmedAt: new Date(),
            recoveryCodeHashes: recoveryCodes.map((each) => recoveryCodeHash(userId, each)),
          },
        },
      )
      .exec();
    if (matchedCount === 0) {
      throw new ConflictException(
        'The enrolment changed meanwhile (confirmed or replaced elsewhere); start again',
      );
    }
    return recoveryCodes;
  }

  /**
   * Accepts a current TOTP code or an unused recovery code of a confirmed factor, spending it;
   * undefined for anything else (wrong, reused, older than the last accepted, or no factor).
   */
  async accept(userId: string, code: string): Promise<AcceptedCode | undefined> {
    const factor = await this.factors
      .findOne({ userId, confirmedAt: { $ne: null } })
      .lean()
      .exec();
    if (!factor) return undefined;
    const typed = code.trim();
    if (TOTP_CODE_PATTERN.test(typed)) {
      const step = matchingStep(this.sealer.open(userId, factor), typed);
      if (step === undefined || !(await this.ledger.spendStep(userId, step))) return undefined;
      return { method: 'totp', recoveryCodesLeft: await this.recoveryCodesLeft(userId, factor) };
    }
    const hash = recoveryCodeHash(userId, typed);
    if (!factor.recoveryCodeHashes.includes(hash)) return undefined;
    if (!(await this.ledger.spend(userId, `recovery:${hash}`))) return undefined;
    return { method: 'recovery', recoveryCodesLeft: await this.recoveryCodesLeft(userId, factor) };
  }

  /** Removes the factor and its spent-code memory; false when there was none. */
  async remove(userId: string): Promise<boolean> {
    const { deletedCount } = await this.factors.deleteOne({ userId }).exec();
    await this.ledger.forget(userId);
    return deletedCount > 0;
  }

  private async recoveryCodesLeft(userId: string, factor: TotpFactor): Promise<number> {
    const spent = await this.ledger.countSpent(userId, 'recovery:');
    return Math.max(0, Math.min(RECOVERY_CODE_COUNT, factor.recoveryCodeHashes.length) - spent);
  }
}
