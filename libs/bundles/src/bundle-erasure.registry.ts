import { Injectable } from '@nestjs/common';
import { ErasureRegistry } from '@strongroom/common';

/** What else goes when a bundle is deleted: its links and shares. */
@Injectable()
export class BundleErasureRegistry extends ErasureRegistry {}
