import { Module } from '@nestjs/common';
import { InstanceStatsController } from './instance-stats.controller';
import { InstanceStatsService } from './instance-stats.service';

/** Administrators' view of the whole instance: storage and activity figures. */
@Module({
  controllers: [InstanceStatsController],
  providers: [InstanceStatsService],
})
export class InstanceStatsModule {}
