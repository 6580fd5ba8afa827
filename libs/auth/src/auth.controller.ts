import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrors, Client, type ClientContext, Public } from '@strongroom/common';
import { NewAccountFields } from '@strongroom/users';
import { AuthRateLimited } from './auth-rate-limit';
import { AuthService } from './auth.service';
import { LoginRequest, RefreshRequest, RegisteredUser, TokenPair } from './dto/auth.dto';
import { MfaChallenge } from './mfa/dto/mfa.dto';

@ApiTags('auth')
@Public()
@ApiErrors(400, 429, 503)
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @AuthRateLimited()
  @ApiOperation({ summary: 'Create an account (while REGISTRATION=open); a role cannot be chosen' })
  @ApiCreatedResponse({ type: RegisteredUser })
  @ApiErrors(403, 409)
  async register(
    @Body() body: NewAccountFields,
    @Client() client: ClientContext,
  ): Promise<RegisteredUser> {
    const user = await this.auth.register(body, client);
    return {
      id: user.id as string,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      createdAt: user.createdAt,
    };
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Exchange email and password for an access and a refresh token, or for an mfaToken when a second factor is due',
  })
  @ApiExtraModels(TokenPair, MfaChallenge)
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(TokenPair) }, { $ref: getSchemaPath(MfaChallenge) }] },
  })
  @ApiErrors(401)
  login(
    @Body() body: LoginRequest,
    @Client() client: ClientContext,
  ): Promise<TokenPair | MfaChallenge> {
    return this.auth.login(body.email, body.password, client);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Rotate: a new pair for a refresh token, which stops working; a reused one ends its session',
  })
  @ApiOkResponse({ type: TokenPair })
  @ApiErrors(401)
  refresh(@Body() body: RefreshRequest, @Client() client: ClientContext): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken, client);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session the refresh token belongs to' })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@Body() body: RefreshRequest): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }
}
