import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { FileErasureRegistry, FilesModule } from '@strongroom/files';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { BundleErasureRegistry } from './bundle-erasure.registry';
import { BundleGrantRegistry } from './bundle-grant.registry';
import { BundleItemFieldsMigration } from './bundle-item-fields.migration';
import { BundleItem, BundleItemSchema } from './bundle-item.schema';
import { Bundle, BundleSchema } from './bundle.schema';
import { BundlesController } from './bundles.controller';
import { BundlesService } from './bundles.service';

@Module({
  imports: [
    UsersModule,
    FilesModule,
    MongooseModule.forFeature([
      { name: Bundle.name, schema: BundleSchema },
      { name: BundleItem.name, schema: BundleItemSchema },
    ]),
  ],
  controllers: [BundlesController],
  providers: [
    BundlesService,
    BundleErasureRegistry,
    BundleGrantRegistry,
    BundleItemFieldsMigration,
  ],
  exports: [BundlesService, BundleErasureRegistry, BundleGrantRegistry, MongooseModule],
})
export class BundlesModule implements OnModuleInit {
  constructor(
    private readonly fileErasure: FileErasureRegistry,
    private readonly userErasure: UserErasureRegistry,
    private readonly bundles: BundlesService,
  ) {}

  onModuleInit(): void {
    this.fileErasure.register('bundle items', (fileId) => this.bundles.deleteItemsOfFile(fileId));
    this.userErasure.register('bundles', (userId) => this.bundles.deleteOwnedBy(userId));
  }
}
