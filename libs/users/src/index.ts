export { UsersModule } from './users.module';
export { UsersService, type NewUser } from './users.service';
export { PasswordHasher, ARGON2_OPTIONS } from './password/password-hasher';
export { UserErasureRegistry } from './user-erasure.registry';
export { NewAccountFields } from './dto/user-input.dto';
export { UserResponse } from './dto/user.dto';
export { normalizeEmail, emailDomain, emailSkeleton } from './email';
export { AccountEmail } from './dto/account-email.decorator';
export { User, UserSchema, type UserDocument } from './user.schema';
