import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@strongroom/common';
import type { StoredFile } from './file.schema';

export type FileAction = 'read' | 'modify';

/**
 * The one place that decides who may do what with a file. Deny unless allowed: the owner and
 * admins may read and modify; everyone else sees nothing (callers answer 404, not 403).
 */
@Injectable()
export class FileAccessPolicy {
  can(user: AuthenticatedUser, _action: FileAction, file: Pick<StoredFile, 'uploader'>): boolean {
    return user.role === 'admin' || file.uploader.toHexString() === user.id;
  }
}
