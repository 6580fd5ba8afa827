import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches, MaxLength } from 'class-validator';
import {
  type RefreshTokenDelivery,
  RefreshTokenDeliveryProperty,
} from '../../cookie/refresh-token-delivery';
import { TokenPair } from '../../dto/auth.dto';

const CODE_DESCRIPTION =
  'A 6-digit code from the authenticator app, or one of the recovery codes (dashes and case ignored)';

export class MfaChallenge {
  @ApiProperty({
    required: false,
    enum: [true],
    description: 'Present when the account has a factor: send a code to /auth/mfa/verify',
  })
  mfaRequired?: true;

  @ApiProperty({
    required: false,
    enum: [true],
    description:
      'Present when the role must have a factor (MFA_REQUIRED_ROLES) and the account has none: enrol through /auth/mfa/totp and /auth/mfa/totp/confirm',
  })
  mfaEnrolmentRequired?: true;

  @ApiProperty({
    description:
      'Single-purpose token for the second step only; valid for MFA_TOKEN_TTL, completes one sign-in, refused as a bearer token everywhere',
  })
  mfaToken!: string;

  @ApiProperty({
    required: false,
    isArray: true,
    enum: ['totp', 'recovery', 'passkey'],
    description:
      'The factors the account has: totp and recovery codes go to /auth/mfa/verify, a passkey to /auth/mfa/passkey/options and /auth/mfa/passkey/verify',
  })
  methods?: Array<'totp' | 'recovery' | 'passkey'>;

  @ApiProperty({ description: 'mfaToken lifetime in seconds', example: 300 })
  expiresIn!: number;
}

class MfaCodeField {
  @ApiProperty({ description: CODE_DESCRIPTION, example: '123456' })
  @IsString()
  @Length(6, 32)
  @Matches(/^[0-9A-Za-z\- ]+$/, {
    message: 'code may hold only digits, letters, dashes and spaces',
  })
  code!: string;
}

export class ConfirmTotpRequest extends MfaCodeField {}

export class VerifyMfaRequest extends MfaCodeField {
  @ApiProperty({ description: 'The mfaToken from POST /auth/login' })
  @IsString()
  @Length(20, 2048)
  mfaToken!: string;

  @RefreshTokenDeliveryProperty()
  refreshTokenDelivery?: RefreshTokenDelivery;
}

export class EnrolmentTokenRequest {
  @ApiProperty({ description: 'The mfaToken from POST /auth/login (mfaEnrolmentRequired)' })
  @IsString()
  @Length(20, 2048)
  mfaToken!: string;
}

export class ConfirmEnrolmentRequest extends VerifyMfaRequest {}

export class DisableTotpRequest extends MfaCodeField {
  @ApiProperty({ description: 'The caller’s current password' })
  @IsString()
  @MaxLength(512)
  password!: string;
}

export class TotpEnrolment {
  @ApiProperty({ description: 'The base32 secret, for typing into an authenticator app' })
  secret!: string;

  @ApiProperty({
    description: 'otpauth:// URI of the secret; show it as a QR code',
    example: 'otpauth://totp/Strongroom:marta%40example.com?issuer=Strongroom&secret=…',
  })
  otpauthUrl!: string;
}

export class RecoveryCodes {
  @ApiProperty({
    isArray: true,
    type: String,
    description: 'Ten single-use codes, shown only in this response; stored as hashes',
  })
  recoveryCodes!: string[];
}

export class EnrolmentCompleted extends TokenPair {
  @ApiProperty({ isArray: true, type: String, description: 'As for /users/me/mfa/totp/confirm' })
  recoveryCodes!: string[];
}

export class TotpStatus {
  @ApiProperty({ description: 'A confirmed factor is set: sign-in asks for a code' })
  enabled!: boolean;

  @ApiProperty({ type: Date, nullable: true, description: 'When the factor was confirmed' })
  confirmedAt!: Date | null;

  @ApiProperty({ description: 'Recovery codes not used yet (0 without a factor)', example: 10 })
  recoveryCodesLeft!: number;
}
