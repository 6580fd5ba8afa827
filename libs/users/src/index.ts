export { UsersModule } from './users.module';
export { User, UserSchema, USER_ROLES, type UserDocument, type UserRole } from './user.schema';
