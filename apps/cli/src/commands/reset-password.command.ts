import { NotFoundException } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { SecurityEventsService } from '@strongroom/audit';
import { UsersService } from '@strongroom/users';
import { readPassword } from '../password-input';

interface ResetPasswordOptions {
  email: string;
}

@Command({
  name: 'reset-password',
  description:
    'Set a new password for an account and end all its sessions; the password is read from standard input',
})
export class ResetPasswordCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly events: SecurityEventsService,
  ) {
    super();
  }

  async run(_params: string[], options: ResetPasswordOptions): Promise<void> {
    const user = await this.users.findByEmail(options.email);
    if (!user) throw new NotFoundException(`there is no account with the email ${options.email}`);
    const password = await readPassword();
    await this.users.setPassword(user, password);
    await this.events.record({
      type: 'password_changed',
      subjectId: user.id as string,
      details: { by: 'admin-cli' },
    });
    process.stdout.write(`password reset for ${user.email}; their sessions have ended\n`);
  }

  @Option({
    flags: '-e, --email <email>',
    description: 'the email address of the account',
    required: true,
  })
  parseEmail(value: string): string {
    return value;
  }
}
