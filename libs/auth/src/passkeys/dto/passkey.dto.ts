import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsString, Length, Matches } from 'class-validator';
import { OptionalProperty } from '@strongroom/common';

const CHALLENGE_ID = 'The challengeId from the options this response answers; each works once';

/** What `navigator.credentials.create()` or `.get()` gave, as JSON (PublicKeyCredential.toJSON()). */
const credentialProperty = (ceremony: 'create' | 'get') =>
  ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      ceremony === 'create'
        ? 'The result of navigator.credentials.create() as JSON (PublicKeyCredential.toJSON(), or @simplewebauthn/browser startRegistration): id, rawId, type "public-key", response {clientDataJSON, attestationObject, transports}, clientExtensionResults; binary values base64url'
        : 'The result of navigator.credentials.get() as JSON (PublicKeyCredential.toJSON(), or @simplewebauthn/browser startAuthentication): id, rawId, type "public-key", response {clientDataJSON, authenticatorData, signature, userHandle}, clientExtensionResults; binary values base64url',
    example: {
      id: 'AXkXz1h…',
      rawId: 'AXkXz1h…',
      type: 'public-key',
      response: {},
      clientExtensionResults: {},
    },
  });

const nameField = () =>
  applyDecorators(
    ApiProperty({
      description: 'A name to tell passkeys apart, e.g. the device',
      example: 'Work laptop',
      minLength: 1,
      maxLength: 64,
      pattern: '\\S',
    }),
    IsString(),
    Length(1, 64),
    Matches(/\S/, { message: 'name must not be blank' }),
  );

class ChallengeAnswer {
  @ApiProperty({ description: CHALLENGE_ID })
  @IsString()
  @Length(16, 64)
  challengeId!: string;
}

export class PasskeyName {
  @nameField()
  name!: string;
}

export class RegisterPasskeyRequest extends ChallengeAnswer {
  @nameField()
  name!: string;

  @credentialProperty('create')
  @IsObject()
  credential!: Record<string, unknown>;
}

export class RemovePasskeyRequest {
  @ApiProperty({ description: 'The caller’s current password' })
  @IsString()
  @Length(1, 512)
  password!: string;
}

class ChallengeAnswerForSession extends ChallengeAnswer {
  @ApiPropertyOptional({
    enum: ['body', 'cookie'],
    default: 'body',
    description: 'As for POST /auth/login',
  })
  @OptionalProperty()
  @IsIn(['body', 'cookie'], { message: 'refreshTokenDelivery must be body or cookie' })
  refreshTokenDelivery?: 'body' | 'cookie';
}

export class PasskeySignInRequest extends ChallengeAnswerForSession {
  @credentialProperty('get')
  @IsObject()
  credential!: Record<string, unknown>;
}

export class MfaPasskeyOptionsRequest {
  @ApiProperty({ description: 'The mfaToken from POST /auth/login' })
  @IsString()
  @Length(20, 2048)
  mfaToken!: string;
}

export class MfaPasskeyVerifyRequest extends PasskeySignInRequest {
  @ApiProperty({ description: 'The mfaToken from POST /auth/login' })
  @IsString()
  @Length(20, 2048)
  mfaToken!: string;
}

export class PasskeyView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'Work laptop' })
  name!: string;

  @ApiProperty({
    isArray: true,
    type: String,
    example: ['internal', 'hybrid'],
    description: 'How the browser can reach the authenticator',
  })
  transports!: string[];

  @ApiProperty({
    enum: ['singleDevice', 'multiDevice'],
    description: 'multiDevice: a synced passkey (in a password manager or platform account)',
  })
  deviceType!: string;

  @ApiProperty({ description: 'Whether the passkey is backed up (synced) now' })
  backedUp!: boolean;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true })
  lastUsedAt!: Date | null;
}

export class PasskeyCeremonyOptions {
  @ApiProperty({ description: `${CHALLENGE_ID}; send it back with the response` })
  challengeId!: string;

  @ApiProperty({ description: 'When the challenge stops being accepted (WEBAUTHN_CHALLENGE_TTL)' })
  expiresAt!: Date;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON: pass to PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON (or @simplewebauthn/browser) and then to navigator.credentials; binary values base64url',
  })
  options!: object;
}
