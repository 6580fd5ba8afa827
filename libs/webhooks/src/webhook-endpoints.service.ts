import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import type { AuthenticatedUser } from '@strongroom/common';
import { Outbox } from '@strongroom/notifications';
import type { CreateWebhookRequest, UpdateWebhookRequest } from './dto/webhook.dto';
import { WebhookDelivery, type WebhookDeliveryDocument } from './webhook-delivery.schema';
import { WebhookEndpoint, type WebhookEndpointDocument } from './webhook-endpoint.schema';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookSecretSealer } from './webhook-secret.sealer';

const NOT_FOUND = 'Webhook endpoint not found';

/** Endpoints: a user's own, and (for admins) the instance-wide ones. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectModel(WebhookEndpoint.name) private readonly endpoints: Model<WebhookEndpoint>,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
    private readonly http: WebhookHttpClient,
    private readonly sealer: WebhookSecretSealer,
    private readonly outbox: Outbox,
  ) {}

  async create(
    actor: AuthenticatedUser,
    input: CreateWebhookRequest,
  ): Promise<{ endpoint: WebhookEndpointDocument; secret: string }> {
    const scope = input.scope ?? 'user';
    if (scope === 'instance' && actor.role !== 'admin') {
      throw new ForbiddenException('Only admins may register instance-wide webhook endpoints');
    }
    await this.assertDeliverable(input.url);
    const id = new Types.ObjectId();
    const { secret, sealed } = this.sealer.generate(id.toHexString());
    const endpoint = await this.endpoints.create({
      _id: id,
      ownerId: new Types.ObjectId(actor.id),
      scope,
      url: input.url,
      description: input.description ?? '',
      events: input.events,
      ...sealed,
    });
    return { endpoint, secret };
  }

  async list(actor: AuthenticatedUser): Promise<WebhookEndpointDocument[]> {
    return this.endpoints.find(this.visibleTo(actor)).sort({ _id: 1 }).exec();
  }

  async get(actor: AuthenticatedUser, id: string): Promise<WebhookEndpointDocument> {
    const endpoint = isValidObjectId(id)
      ? await this.endpoints
          .findOne({ _id: new Types.ObjectId(id), ...this.visibleTo(actor) })
          .exec()
      : null;
    if (!endpoint) throw new NotFoundException(NOT_FOUND);
    return endpoint;
  }

  async update(
    actor: AuthenticatedUser,
    id: string,
    input: UpdateWebhookRequest,
  ): Promise<WebhookEndpointDocument> {
    const endpoint = await this.get(actor, id);
    if (input.url !== undefined) await this.assertDeliverable(input.url);
    const set: Partial<WebhookEndpoint> = {};
    const unset: Record<string, 1> = {};
    if (input.url !== undefined) set.url = input.url;
    if (input.events !== undefined) set.events = input.events;
    if (input.description !== undefined) set.description = input.description;
    if (input.enabled === true) Object.assign(unset, { disabledAt: 1, disabledReason: 1 });
    if (input.enabled === false && !endpoint.disabledAt) {
      Object.assign(set, { disabledAt: new Date(), disabledReason: 'disabled by its owner' });
    }
    const updated = await this.endpoints
      .findOneAndUpdate({ _id: endpoint._id }, { $set: set, $unset: unset }, { new: true })
      .exec();
    if (!updated) throw new NotFoundException(NOT_FOUND);
    return updated;
  }

  async delete(actor: AuthenticatedUser, id: string): Promise<WebhookEndpointDocument> {
    const endpoint = await this.get(actor, id);
    await this.erase([endpoint._id]);
    return endpoint;
  }

  async deliveryLog(
    actor: AuthenticatedUser,
    id: string,
    page: number,
    limit: number,
  ): Promise<{ items: WebhookDeliveryDocument[]; total: number }> {
    const endpoint = await this.get(actor, id);
    const filter = { endpointId: endpoint._id };
    const [items, total] = await Promise.all([
      this.deliveries
        .find(filter)
        .sort({ at: -1, _id: -1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .exec(),
      this.deliveries.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /** Right to erasure: the user's endpoints, their logs and what still waits for them. */
  async removeUserEverywhere(userId: string): Promise<void> {
    if (!isValidObjectId(userId)) return;
    const owned = await this.endpoints
      .find({ ownerId: new Types.ObjectId(userId) }, { _id: 1 })
      .lean()
      .exec();
    await this.erase(owned.map(({ _id }) => _id));
  }

  private async erase(ids: Types.ObjectId[]): Promise<void> {
    for (const id of ids) await this.outbox.cancel('webhook', { endpointId: id.toHexString() });
    await this.deliveries.deleteMany({ endpointId: { $in: ids } }).exec();
    await this.endpoints.deleteMany({ _id: { $in: ids } }).exec();
  }

  /** Users see their own endpoints; admins also every instance-wide one. */
  private visibleTo(actor: AuthenticatedUser) {
    const own = { ownerId: new Types.ObjectId(actor.id) };
    return actor.role === 'admin' ? { $or: [own, { scope: 'instance' }] } : own;
  }

  private async assertDeliverable(url: string): Promise<void> {
    const refusal = await this.http.refusal(url);
    if (refusal) throw new BadRequestException(`url: ${refusal}`);
  }
}
