export { assignRequestId, REQUEST_ID_HEADER } from './request-id';
export { routeTemplate } from './route-template';
export { ErrorResponse } from './error-response';
export { DependencyUnavailableError } from './dependency-unavailable.error';
export { IS_PUBLIC_KEY, Public } from './public.decorator';
