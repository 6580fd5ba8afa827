import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EmailSkeletonMigration } from './email-skeleton.migration';
import { FirstAdminInitializer } from './first-admin.initializer';
import { PasswordChangeListeners } from './password/password-change.listeners';
import { PasswordHasher } from './password/password-hasher';
import { PasswordPolicy } from './password/password-policy';
import { PasswordStrengthEstimator } from './password/password-strength-estimator';
import { PrincipalAccounts } from './principal-accounts';
import { UserAdminController } from './user-admin.controller';
import { UserErasureRegistry } from './user-erasure.registry';
import { UserSearchKeysMigration } from './user-search-keys.migration';
import { UserMigrations } from './user-migrations';
import { User, UserSchema } from './user.schema';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: User.name, schema: UserSchema }])],
  controllers: [UsersController, UserAdminController],
  providers: [
    UsersService,
    PrincipalAccounts,
    PasswordHasher,
    PasswordChangeListeners,
    PasswordPolicy,
    PasswordStrengthEstimator,
    UserErasureRegistry,
    FirstAdminInitializer,
    EmailSkeletonMigration,
    UserSearchKeysMigration,
    UserMigrations,
  ],
  exports: [
    UsersService,
    PrincipalAccounts,
    PasswordHasher,
    UserErasureRegistry,
    PasswordChangeListeners,
  ],
})
export class UsersModule {}
