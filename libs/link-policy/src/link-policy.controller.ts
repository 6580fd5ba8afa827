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
  Roles,
} from '@strongroom/common';
import {
  CreateLinkPolicyRequest,
  LinkPolicyRuleResponse,
  UpdateLinkPolicyRequest,
} from './dto/link-policy.dto';
import type { LinkPolicyRuleDocument } from './link-policy-rule.schema';
import { LinkPolicyService } from './link-policy.service';

@ApiTags('link policies (admin)')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403, 404, 429, 503)
@Controller('link-policies')
export class LinkPolicyController {
  constructor(
    private readonly policies: LinkPolicyService,
    private readonly events: SecurityEventsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every link policy rule, per role and per group' })
  @ApiOkResponse({ type: [LinkPolicyRuleResponse] })
  async list(): Promise<LinkPolicyRuleResponse[]> {
    return (await this.policies.list()).map((rule) => LinkPolicyRuleResponse.from(rule));
  }

  @Post()
  @ApiOperation({
    summary:
      'Set the link and share rules of a role or a group; the strictest applicable rule wins',
  })
  @ApiCreatedResponse({ type: LinkPolicyRuleResponse })
  @ApiErrors(400, 409, 422)
  async create(
    @Body() body: CreateLinkPolicyRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<LinkPolicyRuleResponse> {
    const rule = await this.policies.create(body);
    await this.recordChange(rule, 'created', actor, client);
    return LinkPolicyRuleResponse.from(rule);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One link policy rule' })
  @ApiOkResponse({ type: LinkPolicyRuleResponse })
  async get(@Param('id') id: string): Promise<LinkPolicyRuleResponse> {
    return LinkPolicyRuleResponse.from(await this.policies.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change some limits of a rule; null clears a limit' })
  @ApiOkResponse({ type: LinkPolicyRuleResponse })
  @ApiErrors(400)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateLinkPolicyRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<LinkPolicyRuleResponse> {
    const rule = await this.policies.update(id, body);
    await this.recordChange(rule, 'updated', actor, client);
    return LinkPolicyRuleResponse.from(rule);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a rule; its role or group falls back to the other rules' })
  @ApiNoContentResponse({ description: 'Removed' })
  async delete(
    @Param('id') id: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    const rule = await this.policies.delete(id);
    await this.recordChange(rule, 'deleted', actor, client);
  }

  private recordChange(
    rule: LinkPolicyRuleDocument,
    change: 'created' | 'updated' | 'deleted',
    actor: AuthenticatedUser,
    client: ClientContext,
  ): Promise<void> {
    return this.events.record({
      type: 'link_policy_changed',
      client,
      actorId: actor.id,
      details: { linkPolicyId: rule.id as string, appliesTo: rule.subjectKey, change },
    });
  }
}
