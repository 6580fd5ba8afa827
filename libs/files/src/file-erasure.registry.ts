import { Injectable } from '@nestjs/common';
import { ErasureRegistry } from '@strongroom/common';

/** What else goes when a file is deleted: its shares and links. */
@Injectable()
export class FileErasureRegistry extends ErasureRegistry {}
