export { assignRequestId, REQUEST_ID_HEADER } from './request-id';
export { isCatchAllPattern, rememberRouteTemplate, routeTemplate } from './route-template';
export { ErrorResponse } from './error-response';
export {
  DependencyUnavailableError,
  type UnavailableDependency,
} from './dependency-unavailable.error';
export { IS_PUBLIC_KEY, Public } from './public.decorator';
export { ROLES, type Role, type AuthenticatedUser } from './principal';
export { CurrentUser, Roles, ROLES_KEY } from './auth.decorators';
export {
  API_KEY_SCOPES,
  type ApiKeyScope,
  REQUIRED_SCOPE_KEY,
  RequiresScope,
} from './api-key-scopes';
export { Client, clientContextOf, type ClientContext } from './client-context';
export { ApiErrors } from './api-errors.decorator';
export { ApiFileContent } from './api-file-content.decorator';
export { OptionalProperty } from './optional-property.decorator';
export { TooManyAttemptsException } from './too-many-attempts.exception';
export { errorMessages, httpErrorMessage } from './http-error-messages';
export { KeyedMutex } from './keyed-mutex';
export { ErasureRegistry, type ErasureStep } from './erasure-registry';
export { DeletionHeldError, type KeptRecord } from './deletion-held.error';
export { PageQuery } from './page-query.dto';
export {
  DUPLICATE_KEY_ERROR,
  escapeRegex,
  findOneRecord,
  indexesBuilt,
  isDuplicateKeyError,
  pageTotal,
  upsertRetryingRace,
} from './mongo-helpers';
export { claimNumberedSlot, type NumberedSlotStore } from './numbered-slots';
export { announceWrites, type AnnouncedWrite, onAnnouncedWrite } from './write-announcer';
export { arrivingChunks, PrematureCloseError } from './arriving-chunks';
export { clientWentAway } from './client-gone';
export {
  exceedsSearchKey,
  normalizeForSearch,
  SEARCH_KEY_LENGTH,
  searchKeyPrefix,
  searchKeys,
} from './search-keys';
