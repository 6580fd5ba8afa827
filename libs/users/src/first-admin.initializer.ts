import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { errorMessages } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { UsersService } from './users.service';

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD create the first admin when there is none. An existing non-admin
 * account with that email is never promoted: with open registration anyone could have claimed it.
 */
@Injectable()
export class FirstAdminInitializer implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.auth.admin;
    if (!admin || (await this.users.adminExists())) return;
    if (await this.users.findByEmail(admin.email)) {
      throw new Error(
        'ADMIN_EMAIL belongs to an existing non-admin account; it is not promoted automatically. ' +
          'Use the CLI (create-admin) with another email, or promote the account by hand.',
      );
    }
    try {
      const user = await this.users.create({
        email: admin.email,
        password: admin.password,
        role: 'admin',
      });
      await this.users.recordCreation(user, undefined);
      this.logger.log(`created the first admin account ${user.email}`);
    } catch (error) {
      if (error instanceof ConflictException) {
        // Several instances starting together all find no admin; one creation wins, and that is fine.
        if (await this.isAdmin(admin.email)) {
          this.logger.log(`the first admin account ${admin.email} was created by another instance`);
          return;
        }
        throw new Error(
          'ADMIN_EMAIL is taken by, or looks like the email of, an existing non-admin account; ' +
            'use the CLI (create-admin) with another email, or promote the account by hand.',
          { cause: error },
        );
      }
      throw new Error(`ADMIN_PASSWORD: ${errorMessages(error).join('; ')}`, { cause: error });
    }
  }

  private async isAdmin(email: string): Promise<boolean> {
    return (await this.users.findByEmail(email))?.role === 'admin';
  }
}
