import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Query } from '@nestjs/common';
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
} from '@strongroom/common';
import { UsersService } from '@strongroom/users';
import { RevokeSessionsQuery, SessionResponse } from './dto/session.dto';
import { SessionService } from './session.service';

/** The caller's signed-in sessions. No @RequiresScope: API keys cannot see or end sessions. */
@ApiTags('sessions')
@ApiBearerAuth()
@ApiErrors(401, 403, 429, 503)
@Controller('users/me/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The caller’s signed-in sessions (device, address, times), most recently used first',
  })
  @ApiOkResponse({ type: SessionResponse, isArray: true })
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<SessionResponse[]> {
    return this.sessions.list(await this.users.getById(caller.id), caller.sessionId);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'End one session: its refresh token stops working and its access tokens are refused at once',
  })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiErrors(404)
  async revoke(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.sessions.revoke(caller.id, id, caller.id, client);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'End every session of the caller, this one too, or with keepCurrent=true every other one',
  })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiErrors(400)
  async revokeAll(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: RevokeSessionsQuery,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.sessions.revokeAll({
      userId: caller.id,
      exceptId: query.keepCurrent === 'true' ? caller.sessionId : undefined,
      actorId: caller.id,
      client,
    });
  }
}
