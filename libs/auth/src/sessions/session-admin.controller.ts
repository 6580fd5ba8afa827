import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import { UsersService } from '@strongroom/users';
import { SessionResponse } from './dto/session.dto';
import { SessionService } from './session.service';

@ApiTags('users (admin)')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403, 404, 429, 503)
@Controller('users/:id/sessions')
export class SessionAdminController {
  constructor(
    private readonly sessions: SessionService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'A user’s signed-in sessions, most recently used first' })
  @ApiOkResponse({ type: SessionResponse, isArray: true })
  async list(@Param('id') userId: string): Promise<SessionResponse[]> {
    return this.sessions.list(await this.users.getById(userId));
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'End every session of a user at once (their API keys are separate: revoke those under /api-keys)',
  })
  @ApiNoContentResponse({ description: 'Ended' })
  async revokeAll(
    @Param('id') userId: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.users.getById(userId);
    await this.sessions.revokeAll({ userId, actorId: actor.id, client });
  }
}
