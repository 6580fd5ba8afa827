export { AuthModule } from './auth.module';
export { MfaModule } from './mfa/mfa.module';
export { OidcModule } from './oidc/oidc.module';
export { OidcProviderHealthIndicator } from './oidc/oidc-provider.health-indicator';
export { JwtAuthGuard } from './guards/jwt-auth.guard';
export { RolesGuard } from './guards/roles.guard';
export { AUTH_THROTTLER, AuthRateLimited, isAuthRateLimited } from './auth-rate-limit';
export { TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens/auth-token.constants';
export { LoginLockoutService } from './lockout/login-lockout.service';
