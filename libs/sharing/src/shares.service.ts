import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { type AuthenticatedUser, isDuplicateKeyError } from '@strongroom/common';
import { FileShare, type FileShareDocument, FilesService } from '@strongroom/files';
import { UsersService } from '@strongroom/users';
import type { ShareResponse } from './dto/sharing.dto';

export function toShareResponse(share: FileShareDocument): ShareResponse {
  return {
    id: share.id as string,
    fileId: share.fileId.toHexString(),
    userId: share.userId.toHexString(),
    email: share.email,
    createdAt: share.createdAt,
  };
}

@Injectable()
export class SharesService {
  constructor(
    @InjectModel(FileShare.name) private readonly shares: Model<FileShare>,
    private readonly files: FilesService,
    private readonly users: UsersService,
  ) {}

  async create(
    owner: AuthenticatedUser,
    fileId: string,
    email: string,
  ): Promise<FileShareDocument> {
    const file = await this.files.getAccessible(owner, fileId, 'share');
    const recipient = await this.users.findByEmail(email);
    if (!recipient)
      throw new UnprocessableEntityException('No user has this email; they need an account first');
    if (recipient.id === owner.id)
      throw new BadRequestException('You cannot share a file with yourself');
    try {
      return await this.shares.create({
        fileId: file._id,
        ownerId: file.uploader,
        userId: recipient._id,
        email: recipient.email,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new ConflictException('The file is already shared with this user');
      }
      throw error;
    }
  }

  async list(user: AuthenticatedUser, fileId: string): Promise<FileShareDocument[]> {
    const file = await this.files.getAccessible(user, fileId, 'modify');
    return this.shares.find({ fileId: file._id }).sort({ createdAt: 1 }).exec();
  }

  async revoke(
    user: AuthenticatedUser,
    fileId: string,
    shareId: string,
  ): Promise<FileShareDocument> {
    const file = await this.files.getAccessible(user, fileId, 'modify');
    const removed = isValidObjectId(shareId)
      ? await this.shares.findOneAndDelete({ _id: shareId, fileId: file._id }).exec()
      : null;
    if (!removed) throw new NotFoundException('Share not found');
    return removed;
  }

  /** Erasure steps: a deleted file's shares; the shares a deleted user received. */
  async deleteForFile(fileId: string): Promise<void> {
    await this.shares.deleteMany({ fileId: new Types.ObjectId(fileId) }).exec();
  }

  async deleteReceivedBy(userId: string): Promise<void> {
    await this.shares.deleteMany({ userId: new Types.ObjectId(userId) }).exec();
  }
}
