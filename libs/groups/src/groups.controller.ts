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
  AddGroupMemberRequest,
  CreateGroupRequest,
  GroupMemberResponse,
  GroupResponse,
  UpdateGroupRequest,
} from './dto/group.dto';
import type { GroupDocument } from './group.schema';
import { GroupsService } from './groups.service';

const groupDetails = (group: GroupDocument) => ({
  groupId: group.id as string,
  groupName: group.name,
  retentionDays: group.retentionDays ?? 0,
});

@ApiTags('groups')
@ApiBearerAuth()
@ApiErrors(401, 404, 429, 503)
@Controller('groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly events: SecurityEventsService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a group (admin)' })
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiErrors(400, 403, 409)
  async create(
    @Body() body: CreateGroupRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<GroupResponse> {
    const group = await this.groups.create(actor, body);
    await this.events.record({
      type: 'group_created',
      client,
      actorId: actor.id,
      details: groupDetails(group),
    });
    return GroupResponse.from(group, 0);
  }

  @Get()
  @ApiOperation({ summary: 'Groups: every group for an admin, your own groups for anyone else' })
  @ApiOkResponse({ type: [GroupResponse] })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<GroupResponse[]> {
    return (await this.groups.list(user)).map(({ group, memberCount }) =>
      GroupResponse.from(group, memberCount),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One group (admins, and its members)' })
  @ApiOkResponse({ type: GroupResponse })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<GroupResponse> {
    const { group, memberCount } = await this.groups.get(user, id);
    return GroupResponse.from(group, memberCount);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename a group or change its description (admin)' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiErrors(400, 403, 409)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateGroupRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<GroupResponse> {
    const { group, memberCount } = await this.groups.update(id, body);
    await this.events.record({
      type: 'group_updated',
      client,
      actorId: actor.id,
      details: groupDetails(group),
    });
    return GroupResponse.from(group, memberCount);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete a group (admin); files shared with it stop being visible to its members at once',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(403)
  async delete(
    @Param('id') id: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    const group = await this.groups.delete(id);
    await this.events.record({
      type: 'group_deleted',
      client,
      actorId: actor.id,
      details: groupDetails(group),
    });
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members of a group (admins, and its members)' })
  @ApiOkResponse({ type: [GroupMemberResponse] })
  async members(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<GroupMemberResponse[]> {
    return (await this.groups.listMembers(user, id)).map((member) =>
      GroupMemberResponse.from(member),
    );
  }

  @Post(':id/members')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a registered user to a group (admin)' })
  @ApiCreatedResponse({ type: GroupMemberResponse })
  @ApiErrors(400, 403, 409, 422)
  async addMember(
    @Param('id') id: string,
    @Body() body: AddGroupMemberRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<GroupMemberResponse> {
    const member = await this.groups.addMember(actor, id, body.email);
    await this.events.record({
      type: 'group_member_added',
      client,
      actorId: actor.id,
      subjectId: member.userId.toHexString(),
      details: { groupId: id },
    });
    return GroupMemberResponse.from(member);
  }

  @Delete(':id/members/:userId')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Remove a member (admin); files shared with the group stop being visible to them at once',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(403)
  async removeMember(
    @Param('id') id: string,
    @Param('userId') userId: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.groups.removeMember(id, userId);
    await this.events.record({
      type: 'group_member_removed',
      client,
      actorId: actor.id,
      subjectId: userId,
      details: { groupId: id },
    });
  }
}
