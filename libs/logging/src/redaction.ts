/** Log paths that may hold credentials; pino replaces their values wherever they appear. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.secretKey',
  '*.mfaToken',
  '*.recoveryCodes',
  '*.otpauthUrl',
];
