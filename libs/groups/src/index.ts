export { GroupsModule } from './groups.module';
export { GroupsService } from './groups.service';
export { GroupErasureRegistry } from './group-erasure.registry';
