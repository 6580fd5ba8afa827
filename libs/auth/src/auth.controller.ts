import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors, Client, type ClientContext, Public } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import {
  NewAccountFields,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  UsersService,
} from '@strongroom/users';
import { AuthRateLimited } from './auth-rate-limit';
import { AuthService } from './auth.service';
import { RefreshCookie } from './cookie/refresh-cookie';
import {
  LoginRequest,
  RefreshRequest,
  RegisteredUser,
  SetupState,
  TokenPair,
} from './dto/auth.dto';
import { MfaChallenge } from './mfa/dto/mfa.dto';

@ApiTags('auth')
@Public()
@ApiErrors(400, 429, 503)
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookie,
    private readonly users: UsersService,
  ) {}

  @Get('setup-state')
  @ApiOperation({
    summary:
      'What a sign-in page needs before anyone signs in: whether any account exists, whether registration is open, the password rules',
  })
  @ApiOkResponse({ type: SetupState })
  async setupState(): Promise<SetupState> {
    return {
      hasUsers: await this.users.anyExists(),
      registration: this.config.auth.registration,
      passwordRules: {
        minLength: PASSWORD_MIN_LENGTH,
        maxLength: PASSWORD_MAX_LENGTH,
        strengthChecked: true,
      },
      sso: {
        enabled: this.config.oidc !== undefined,
        displayName: this.config.oidc?.displayName,
        passwordSignIn: !this.config.oidc?.only,
      },
    };
  }

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
  @ApiErrors(401, 403)
  async login(
    @Body() body: LoginRequest,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair | MfaChallenge> {
    const outcome = await this.auth.login(body.email, body.password, client);
    if (!('accessToken' in outcome)) return outcome;
    return this.cookie.deliver(res, outcome, body.refreshTokenDelivery);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Rotate: a new pair for a refresh token, which stops working; a reused one ends its session',
  })
  @ApiOkResponse({
    type: TokenPair,
    description: 'With the refresh cookie, the new refresh token replaces it and is left out here',
  })
  @ApiErrors(401, 403)
  async refresh(
    @Body() body: RefreshRequest,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair> {
    if (body.refreshToken) return this.auth.refresh(body.refreshToken, client);
    try {
      const pair = await this.auth.refresh(this.cookie.take(req), client);
      return this.cookie.deliver(res, pair, 'cookie');
    } catch (error) {
      // A dead cookie is dropped, so the browser stops presenting it.
      this.cookie.clear(res);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the session the refresh token (in the body, or the refresh cookie) belongs to',
  })
  @ApiNoContentResponse({ description: 'Signed out; the refresh cookie is cleared' })
  @ApiErrors(401, 403)
  async logout(
    @Body() body: RefreshRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const token = body.refreshToken ?? this.cookie.take(req);
    if (!body.refreshToken) this.cookie.clear(res);
    await this.auth.logout(token);
  }
}
