import { Controller, Get, HttpStatus, Inject, Logger, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors, Client, type ClientContext, Public } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { AuthRateLimited } from '../auth-rate-limit';
import { RefreshCookie } from '../cookie/refresh-cookie';
import { OidcAttemptCookie } from './oidc-attempt.cookie';
import { OidcSignInService } from './oidc-sign-in.service';
import { SsoFailure, type SsoFailureCode } from './sso-failure';

const FAILURE_DESCRIPTION =
  "Every failure is a 302 to the web app's sign-in page with `?sso_error=<code>`: not_configured, provider_unavailable, provider_refused, session_expired, invalid_state, code_rejected, token_expired, invalid_token, access_denied, email_missing, email_in_use, not_provisioned, account_disabled, identity_in_use, last_admin, unavailable";

/**
 * The browser side of single sign-on. Both routes answer redirects only, never an error page of
 * their own: the web app shows what went wrong from the code it is given.
 */
@ApiTags('auth')
@Public()
@ApiErrors(429)
@Controller('auth/oidc')
export class OidcController {
  private readonly logger = new Logger(OidcController.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signIn: OidcSignInService,
    private readonly attemptCookie: OidcAttemptCookie,
    private readonly refreshCookie: RefreshCookie,
  ) {}

  @Get('login')
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Start single sign-on: 302 to the identity provider (authorization code with PKCE, state and nonce), binding the attempt to this browser with a short-lived cookie',
  })
  @ApiFoundResponse({ description: `To the provider. ${FAILURE_DESCRIPTION}` })
  async login(@Res() res: Response): Promise<void> {
    try {
      const { url, handle } = await this.signIn.start('login');
      this.attemptCookie.set(res, handle);
      res.redirect(HttpStatus.FOUND, url);
    } catch (error) {
      this.fail(res, error);
    }
  }

  @Get('callback')
  @AuthRateLimited()
  @ApiOperation({
    summary:
      "The provider's answer: verifies state, the code (with the PKCE verifier) and the ID token, then signs in (sets the refresh cookie and 302s to the web app, which refreshes) or links the identity to the account that started it",
  })
  @ApiQuery({ name: 'code', required: false, type: String })
  @ApiQuery({ name: 'state', required: false, type: String })
  @ApiQuery({ name: 'error', required: false, type: String })
  @ApiFoundResponse({ description: `To the web app. ${FAILURE_DESCRIPTION}` })
  async callback(
    @Req() req: Request,
    @Res() res: Response,
    @Client() client: ClientContext,
  ): Promise<void> {
    const handle = this.attemptCookie.read(req);
    this.attemptCookie.clear(res);
    const separator = req.originalUrl.indexOf('?');
    const raw = separator === -1 ? '' : req.originalUrl.slice(separator + 1);
    try {
      const outcome = await this.signIn.finish(handle, { raw, state: req.query.state }, client);
      if (outcome.mode === 'login' && outcome.tokens.refreshToken) {
        this.refreshCookie.set(res, outcome.tokens.refreshToken);
      }
      res.redirect(HttpStatus.FOUND, this.webApp(outcome.mode === 'link' ? '/?sso=linked' : '/'));
    } catch (error) {
      this.fail(res, error);
    }
  }

  private fail(res: Response, error: unknown): void {
    let code: SsoFailureCode | 'unavailable' = 'unavailable';
    if (error instanceof SsoFailure) code = error.code;
    else this.logger.error(error, 'single sign-on could not be completed');
    res.redirect(HttpStatus.FOUND, this.webApp(`/sign-in?sso_error=${code}`));
  }

  private webApp(path: string): string {
    return `${this.config.http.publicUrl}${path}`;
  }
}
