export { RetentionModule } from './retention.module';
export { LegalHoldsService } from './legal-holds.service';
export {
  FileDeletionGuard,
  heldError,
  type DeletionRequester,
  type GuardedFile,
  type Retention,
} from './file-deletion.guard';
export { HOLD_SUBJECTS, type HoldSubject, type LegalHoldDocument } from './legal-hold.schema';
export { LegalHoldResponse, PlaceHoldRequest, ReleaseHoldRequest } from './dto/legal-hold.dto';
