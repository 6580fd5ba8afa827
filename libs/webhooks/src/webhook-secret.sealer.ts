import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { KeyRing } from '@strongroom/encryption';

const SECRET_BYTES = 32;
const PREFIX = 'whsec_';

export interface SealedWebhookSecret {
  kekId: string;
  sealedSecret: string;
}

/**
 * Endpoint signing secrets: random, shown once as `whsec_<base64>` (the Standard Webhooks form),
 * kept sealed with the key-encryption keys and bound to the endpoint id.
 */
@Injectable()
export class WebhookSecretSealer {
  constructor(private readonly keyRing: KeyRing) {}

  generate(endpointId: string): { secret: string; sealed: SealedWebhookSecret } {
    const bytes = randomBytes(SECRET_BYTES);
    const { kekId, wrappedKey } = this.keyRing.wrap(
      bytes,
      WebhookSecretSealer.bindingOf(endpointId),
    );
    return {
      secret: `${PREFIX}${bytes.toString('base64')}`,
      sealed: { kekId, sealedSecret: wrappedKey },
    };
  }

  /** The secret as `standardwebhooks` takes it. */
  open(endpointId: string, sealed: SealedWebhookSecret): string {
    const bytes = this.keyRing.unwrap(
      { kekId: sealed.kekId, wrappedKey: sealed.sealedSecret },
      WebhookSecretSealer.bindingOf(endpointId),
    );
    return `${PREFIX}${bytes.toString('base64')}`;
  }

  static bindingOf(endpointId: string): string {
    return `webhook-secret:${endpointId}`;
  }
}
