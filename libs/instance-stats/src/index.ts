export { InstanceStatsModule } from './instance-stats.module';
export { InstanceStats, InstanceStatsQuery } from './dto/instance-stats.dto';
