import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { SecurityEventsService } from '@strongroom/audit';
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
  PageQuery,
  RequiresScope,
} from '@strongroom/common';
import {
  CreatedWebhookResponse,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDeliveryPage,
  WebhookDeliveryResponse,
  WebhookResponse,
} from './dto/webhook.dto';
import type { WebhookEndpointDocument } from './webhook-endpoint.schema';
import { WebhookEndpointsService } from './webhook-endpoints.service';

const details = (endpoint: WebhookEndpointDocument) => ({
  endpointId: endpoint.id as string,
  url: endpoint.url,
  scope: endpoint.scope,
  events: endpoint.events.join(' '),
});

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiErrors(401, 404, 429, 503)
@RequiresScope('webhooks:write')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly events: SecurityEventsService,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      "Register an endpoint for your events (scope=instance: every user's events, admins only); the signing secret is in the answer, only here",
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiErrors(400, 403)
  async create(
    @Body() body: CreateWebhookRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<CreatedWebhookResponse> {
    const { endpoint, secret } = await this.endpoints.create(actor, body);
    await this.events.record({
      type: 'webhook_created',
      client,
      actorId: actor.id,
      details: details(endpoint),
    });
    return { ...WebhookResponse.from(endpoint), secret };
  }

  @Get()
  @ApiOperation({ summary: 'Your endpoints; for admins also every instance-wide one' })
  @ApiOkResponse({ type: [WebhookResponse] })
  async list(@CurrentUser() actor: AuthenticatedUser): Promise<WebhookResponse[]> {
    return (await this.endpoints.list(actor)).map((endpoint) => WebhookResponse.from(endpoint));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One endpoint' })
  @ApiOkResponse({ type: WebhookResponse })
  async get(
    @CurrentUser() actor: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<WebhookResponse> {
    return WebhookResponse.from(await this.endpoints.get(actor, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, events or description; disable or enable again' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors(400)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateWebhookRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<WebhookResponse> {
    const endpoint = await this.endpoints.update(actor, id, body);
    await this.events.record({
      type: 'webhook_updated',
      client,
      actorId: actor.id,
      details: { ...details(endpoint), enabled: !endpoint.disabledAt },
    });
    return WebhookResponse.from(endpoint);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an endpoint; what still waits for it is dropped' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(
    @Param('id') id: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    const endpoint = await this.endpoints.delete(actor, id);
    await this.events.record({
      type: 'webhook_deleted',
      client,
      actorId: actor.id,
      details: details(endpoint),
    });
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary:
      'The delivery log, newest first: every attempt with its time, event, status or error and duration (kept 30 days)',
  })
  @ApiOkResponse({ type: WebhookDeliveryPage })
  @ApiErrors(400)
  async deliveries(
    @Param('id') id: string,
    @Query() query: PageQuery,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<WebhookDeliveryPage> {
    const { items, total } = await this.endpoints.deliveryLog(actor, id, query.page, query.limit);
    return {
      items: items.map((delivery) => WebhookDeliveryResponse.from(delivery)),
      page: query.page,
      limit: query.limit,
      total,
    };
  }
}
