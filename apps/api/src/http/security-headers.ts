import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers, with CSP's `upgrade-insecure-requests` only for requests that came over TLS
 * (`req.secure`, which honours X-Forwarded-Proto from proxies trusted through TRUST_PROXY).
 * Sent over plain HTTP it makes browsers fetch /docs' scripts over HTTPS, which is not there.
 */
export function securityHeaders(): RequestHandler {
  const overTls = helmet();
  const overPlainHttp = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  return (req, res, next) => (req.secure ? overTls : overPlainHttp)(req, res, next);
}
