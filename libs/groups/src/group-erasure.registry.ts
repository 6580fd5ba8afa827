import { Injectable } from '@nestjs/common';
import { ErasureRegistry } from '@strongroom/common';

/** What else goes when a group is deleted: the files shared with it. */
@Injectable()
export class GroupErasureRegistry extends ErasureRegistry {}
