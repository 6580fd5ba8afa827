import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { GroupsModule } from '@strongroom/groups';
import { FileDeletionGuard } from './file-deletion.guard';
import { LegalHold, LegalHoldSchema } from './legal-hold.schema';
import { LegalHoldsService } from './legal-holds.service';

/** Legal holds and retention rules: what keeps a file from deletion, decided in one guard. */
@Module({
  imports: [
    GroupsModule,
    MongooseModule.forFeature([{ name: LegalHold.name, schema: LegalHoldSchema }]),
  ],
  providers: [LegalHoldsService, FileDeletionGuard],
  exports: [LegalHoldsService, FileDeletionGuard],
})
export class RetentionModule {}
