import { Injectable } from '@nestjs/common';
import { ErasureRegistry } from '@strongroom/common';

/** What else goes when a user is deleted (right to erasure): files, shares, links, sessions. */
@Injectable()
export class UserErasureRegistry extends ErasureRegistry {}
