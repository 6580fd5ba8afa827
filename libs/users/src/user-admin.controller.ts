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
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
  Roles,
} from '@strongroom/common';
import { CreateUserRequest, ListUsersQuery, UpdateUserRequest } from './dto/user-input.dto';
import { UserPage, UserResponse } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users (admin)')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403, 429, 503)
@Controller('users')
export class UserAdminController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List and search users' })
  @ApiOkResponse({ type: UserPage })
  @ApiErrors(400)
  async list(@Query() query: ListUsersQuery): Promise<UserPage> {
    const { items, total } = await this.users.search(query);
    return {
      items: items.map((user) => UserResponse.from(user)),
      page: query.page,
      limit: query.limit,
      total,
    };
  }

  @Post()
  @ApiOperation({ summary: 'Create a user (how people join when REGISTRATION=closed)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(400, 409)
  async create(
    @Body() body: CreateUserRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<UserResponse> {
    const user = await this.users.create(body);
    await this.users.recordCreation(user, client, actor.id);
    return UserResponse.from(user);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user’s role, status or quota; role and status changes end their sessions',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 404, 409)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateUserRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.users.update(id, body, actor, client));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete a user and everything they own (right to erasure); 409 when files under legal hold or retention had to be kept (everything else is erased, the account is disabled)',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404, 409)
  async delete(
    @Param('id') id: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.users.delete(id, actor, client);
  }
}
