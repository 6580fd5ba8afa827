import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommandRunner, Option } from 'nest-commander';
import { NewAccountFields, UsersService } from '@strongroom/users';
import { readPassword } from '../password-input';

interface CreateAdminOptions {
  email: string;
  displayName?: string;
}

@Command({
  name: 'create-admin',
  description: 'Create an admin account; the password is read from standard input',
})
export class CreateAdminCommand extends CommandRunner {
  constructor(private readonly users: UsersService) {
    super();
  }

  async run(_params: string[], options: CreateAdminOptions): Promise<void> {
    const { email, displayName } = await accountFields(options);
    const password = await readPassword();
    const user = await this.users.create({ email, password, displayName, role: 'admin' });
    await this.users.recordCreation(user, undefined);
    process.stdout.write(`created admin ${user.email} (${user.id as string})\n`);
  }

  @Option({
    flags: '-e, --email <email>',
    description: 'the email address the admin signs in with',
    required: true,
  })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '-n, --display-name <name>', description: 'the name shown for the admin' })
  parseDisplayName(value: string): string {
    return value;
  }
}

/** The rules of POST /users, checked before anyone types a password. */
async function accountFields(options: CreateAdminOptions): Promise<NewAccountFields> {
  const fields = plainToInstance(NewAccountFields, { ...options, password: '' });
  const problems = (await validate(fields)).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  if (problems.length > 0) throw new BadRequestException(problems);
  return fields;
}
