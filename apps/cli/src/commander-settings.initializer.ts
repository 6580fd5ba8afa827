import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

interface CommanderCommand {
  readonly commands: readonly CommanderCommand[];
  name(name: string): unknown;
  exitOverride(): unknown;
}

/** Settings nest-commander offers no option for, applied once it has built the commands. */
@Injectable()
export class CommanderSettingsInitializer implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly root: CommanderCommand) {}

  onApplicationBootstrap(): void {
    // The usage line would otherwise name the entry file, main.
    this.root.name('cli');
    // commander calls process.exit() after --help or a usage error, which would skip closing the
    // database; throwing instead, main.ts takes the exit code once it has cleaned up.
    // nest-commander's errorHandler option reaches only the root, hence every command here.
    const throwInsteadOfExit = (command: CommanderCommand) => {
      command.exitOverride();
      command.commands.forEach(throwInsteadOfExit);
    };
    throwInsteadOfExit(this.root);
  }
}
