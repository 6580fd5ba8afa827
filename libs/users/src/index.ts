export { UsersModule } from './users.module';
export { UsersService, type NewUser } from './users.service';
export { PasswordHasher, ARGON2_OPTIONS } from './password/password-hasher';
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password/password-policy';
export { UserErasureRegistry } from './user-erasure.registry';
export { NewAccountFields } from './dto/user-input.dto';
export { UserResponse } from './dto/user.dto';
export { normalizeEmail, emailDomain } from './email';
export { User, UserSchema, type UserDocument } from './user.schema';
