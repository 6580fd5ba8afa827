import { Module, type OnModuleInit } from '@nestjs/common';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { EncryptionModule, KeyRotation, MongoSealedKeyStore } from '@strongroom/encryption';
import { NotificationsModule, OutboxChannels } from '@strongroom/notifications';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { WebhookDelivery, WebhookDeliverySchema } from './webhook-delivery.schema';
import { WebhookEndpoint, WebhookEndpointSchema } from './webhook-endpoint.schema';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEvents } from './webhook-events.publisher';
import { WebhookHttpClient } from './webhook-http.client';
import { WEBHOOK_METRIC_PROVIDERS, WebhookMetrics } from './webhook-metrics';
import { WebhookSecretSealer } from './webhook-secret.sealer';
import { WebhookOutboxChannel } from './webhook.outbox-channel';
import { WebhooksController } from './webhooks.controller';

/** Signed webhooks: endpoints, the publishing port, and their outbox channel. */
@Module({
  imports: [
    UsersModule,
    EncryptionModule,
    NotificationsModule,
    MongooseModule.forFeature([
      { name: WebhookEndpoint.name, schema: WebhookEndpointSchema },
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
    ]),
  ],
  controllers: [WebhooksController],
  providers: [
    WebhookEndpointsService,
    WebhookEvents,
    WebhookHttpClient,
    WebhookSecretSealer,
    WebhookOutboxChannel,
    WebhookMetrics,
    ...WEBHOOK_METRIC_PROVIDERS,
  ],
  exports: [WebhookEvents],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly channels: OutboxChannels,
    private readonly channel: WebhookOutboxChannel,
    private readonly endpoints: WebhookEndpointsService,
    private readonly erasure: UserErasureRegistry,
    private readonly keyRotation: KeyRotation,
    @InjectModel(WebhookEndpoint.name) private readonly endpointModel: Model<WebhookEndpoint>,
  ) {}

  onModuleInit(): void {
    this.channels.register(this.channel);
    this.erasure.register('webhook endpoints', (userId) =>
      this.endpoints.removeUserEverywhere(userId),
    );
    this.keyRotation.register(
      new MongoSealedKeyStore(this.endpointModel, {
        kind: 'webhook secrets',
        kekIdPath: 'kekId',
        wrappedKeyPath: 'sealedSecret',
        binding: (endpoint) => WebhookSecretSealer.bindingOf(endpoint._id.toHexString()),
      }),
    );
  }
}
