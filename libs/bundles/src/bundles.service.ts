import {
  BadRequestException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { type AuthenticatedUser, upsertRetryingRace } from '@strongroom/common';
import {
  FileAccessPolicy,
  type FileSearch,
  fileGrantFields,
  type GrantRows,
  grantRows,
  grantsAmongQuery,
  StoredFile,
  type StoredFileDocument,
} from '@strongroom/files';
import { BundleErasureRegistry } from './bundle-erasure.registry';
import { BundleGrantRegistry } from './bundle-grant.registry';
import { MAX_BUNDLE_FILES } from './bundle-limits';
import { BundleItem } from './bundle-item.schema';
import { Bundle, type BundleDocument } from './bundle.schema';

/** A bundle and the files it holds now, in order. */
export interface BundleWithFiles {
  bundle: BundleDocument;
  files: StoredFileDocument[];
}

export interface BundleInput {
  name?: string;
  fileIds?: string[];
}

const NOT_FOUND = 'Bundle not found';

/** What an item keeps of its file: its id and the fields it is listed by (FileGrantFields). */
type ItemFile = Pick<StoredFile, 'name' | 'size' | 'uploadedAt'> & { _id: Types.ObjectId };

/**
 * Bundles: named, ordered sets of their owner's own ready files. A file that is deleted, or is
 * not ready, is left out whenever a bundle is read, whatever the items say: the items of a deleted
 * file are also removed (a file erasure step), but reading never depends on that having run.
 */
@Injectable()
export class BundlesService {
  constructor(
    @InjectModel(Bundle.name) private readonly bundles: Model<Bundle>,
    @InjectModel(BundleItem.name) private readonly items: Model<BundleItem>,
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    private readonly erasure: BundleErasureRegistry,
    private readonly grants: BundleGrantRegistry,
    private readonly policy: FileAccessPolicy,
  ) {}

  async create(owner: AuthenticatedUser, input: Required<Pick<BundleInput, 'name'>> & BundleInput) {
    const files = await this.ownReadyFiles(owner, input.fileIds ?? []);
    const bundle = await this.bundles.create({
      ownerId: new Types.ObjectId(owner.id),
      name: input.name,
    });
    await this.placeItems(bundle, files, 0);
    return this.withFiles(bundle);
  }

  async list(owner: AuthenticatedUser): Promise<BundleWithFiles[]> {
    const bundles = await this.bundles
      .find({ ownerId: new Types.ObjectId(owner.id) })
      .sort({ createdAt: -1, _id: -1 })
      .exec();
    return Promise.all(bundles.map((bundle) => this.withFiles(bundle)));
  }

  /** The caller's own bundle; anyone else's is indistinguishable from absent. */
  async owned(owner: AuthenticatedUser, id: string): Promise<BundleDocument> {
    const bundle = isValidObjectId(id)
      ? await this.bundles.findOne({ _id: id, ownerId: new Types.ObjectId(owner.id) }).exec()
      : null;
    if (!bundle) throw new NotFoundException(NOT_FOUND);
    return bundle;
  }

  async get(owner: AuthenticatedUser, id: string): Promise<BundleWithFiles> {
    return this.withFiles(await this.owned(owner, id));
  }

  /**
   * A bundle the caller may open, their own or one shared with them now, with the files in it they
   * may read (FileAccessPolicy decides each); any other is indistinguishable from absent.
   */
  async readable(user: AuthenticatedUser, id: string): Promise<BundleWithFiles> {
    const bundle = isValidObjectId(id) ? await this.bundles.findById(id).exec() : null;
    if (!bundle || !(await this.reaches(user, bundle))) throw new NotFoundException(NOT_FOUND);
    return this.withReadableFiles(user, bundle);
  }

  /** Other people's bundles shared with the caller or a group of theirs now, newest first. */
  async sharedWith(
    user: AuthenticatedUser,
    { page, limit }: { page: number; limit: number },
  ): Promise<{ items: BundleWithFiles[]; total: number }> {
    const filter = {
      _id: { $in: await this.grants.bundlesReaching(user.id) },
      ownerId: { $ne: new Types.ObjectId(user.id) },
    };
    const [bundles, total] = await Promise.all([
      this.bundles
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .exec(),
      this.bundles.countDocuments(filter).exec(),
    ]);
    return {
      items: await Promise.all(bundles.map((bundle) => this.withReadableFiles(user, bundle))),
      total,
    };
  }

  /** Renames, and with `fileIds` sets the whole list: adds, removes and reorders in one. */
  async update(owner: AuthenticatedUser, id: string, input: BundleInput): Promise<BundleWithFiles> {
    const bundle = await this.owned(owner, id);
    if (input.fileIds !== undefined) {
      const files = await this.ownReadyFiles(owner, input.fileIds);
      const fileIds = files.map((file) => file._id);
      await this.items.deleteMany({ bundleId: bundle._id, fileId: { $nin: fileIds } }).exec();
      await this.placeItems(bundle, files, 0);
    }
    if (input.name !== undefined) bundle.name = input.name;
    bundle.updatedAt = new Date();
    return this.withFiles(await bundle.save());
  }

  /** Appends files at the end; files already in the bundle keep their place. */
  async addFiles(owner: AuthenticatedUser, id: string, ids: string[]): Promise<BundleWithFiles> {
    const bundle = await this.owned(owner, id);
    const files = await this.ownReadyFiles(owner, ids);
    const present = new Set(
      (await this.items.find({ bundleId: bundle._id }, { fileId: 1 }).lean().exec()).map((item) =>
        item.fileId.toHexString(),
      ),
    );
    const last = await this.items
      .findOne({ bundleId: bundle._id }, { position: 1 })
      .sort({ position: -1 })
      .lean()
      .exec();
    const added = files.filter((file) => !present.has(file._id.toHexString()));
    if (present.size + added.length > MAX_BUNDLE_FILES) {
      throw new BadRequestException(`A bundle holds at most ${MAX_BUNDLE_FILES} files`);
    }
    await this.placeItems(bundle, added, (last?.position ?? -1) + 1);
    bundle.updatedAt = new Date();
    return this.withFiles(await bundle.save());
  }

  async removeFile(owner: AuthenticatedUser, id: string, fileId: string): Promise<void> {
    const bundle = await this.owned(owner, id);
    const removed = isValidObjectId(fileId)
      ? await this.items
          .deleteOne({ bundleId: bundle._id, fileId: new Types.ObjectId(fileId) })
          .exec()
      : { deletedCount: 0 };
    if (removed.deletedCount === 0) throw new NotFoundException('This file is not in the bundle');
    bundle.updatedAt = new Date();
    await bundle.save();
  }

  async delete(owner: AuthenticatedUser, id: string): Promise<BundleDocument> {
    const bundle = await this.owned(owner, id);
    await this.erase(bundle._id);
    return bundle;
  }

  /** A bundle by id with its current files, for callers that decided access another way (links). */
  async findWithFiles(id: Types.ObjectId): Promise<BundleWithFiles | null> {
    const bundle = await this.bundles.findById(id).exec();
    return bundle ? this.withFiles(bundle) : null;
  }

  async withFiles(bundle: BundleDocument): Promise<BundleWithFiles> {
    const items = await this.items
      .find({ bundleId: bundle._id }, { fileId: 1 })
      .sort({ position: 1, _id: 1 })
      .lean()
      .exec();
    const files = await this.files
      .find({
        _id: { $in: items.map((item) => item.fileId) },
        uploader: bundle.ownerId,
        status: 'ready',
      })
      .exec();
    const byId = new Map(files.map((file) => [file.id as string, file]));
    return {
      bundle,
      files: items.flatMap((item) => byId.get(item.fileId.toHexString()) ?? []),
    };
  }

  private async reaches(user: AuthenticatedUser, bundle: BundleDocument): Promise<boolean> {
    if (bundle.ownerId.toHexString() === user.id) return true;
    return (await this.grants.bundlesReaching(user.id)).some((id) => id.equals(bundle._id));
  }

  private async withReadableFiles(
    user: AuthenticatedUser,
    bundle: BundleDocument,
  ): Promise<BundleWithFiles> {
    const { files } = await this.withFiles(bundle);
    return { bundle, files: await this.policy.readable(user, files) };
  }

  /** Whether any of the bundles holds the file (the owner's, ready: the only kind they take). */
  async anyHolds(bundleIds: Types.ObjectId[], fileId: Types.ObjectId): Promise<boolean> {
    return Boolean(await this.items.exists({ bundleId: { $in: bundleIds }, fileId }));
  }

  /** The items of the bundles, for `scope=shared`: a page at a time in the list's order. */
  itemRows(
    bundleIds: Types.ObjectId[],
    search: Pick<FileSearch, 'q' | 'sort' | 'order'>,
  ): GrantRows {
    return grantRows(this.items, { bundleId: { $in: bundleIds } }, search);
  }

  /** A rename reaches the copies of the name the items sort and search by. */
  async renamed(file: ItemFile): Promise<void> {
    const { name, nameKeys } = fileGrantFields(file);
    await this.items.updateMany({ fileId: file._id }, { $set: { name, nameKeys } }).exec();
  }

  /** Which of `fileIds` the bundles hold, off the items' `{bundleId, fileId}` index. */
  async heldAmong(
    bundleIds: Types.ObjectId[],
    fileIds: readonly Types.ObjectId[],
  ): Promise<Types.ObjectId[]> {
    const { filter } = grantsAmongQuery(fileIds, { bundleId: { $in: bundleIds } });
    return this.items.distinct('fileId', filter).exec();
  }

  /** Erasure steps: a deleted file leaves every bundle; a deleted user's bundles go. */
  async deleteItemsOfFile(fileId: string): Promise<void> {
    await this.items.deleteMany({ fileId: new Types.ObjectId(fileId) }).exec();
  }

  async deleteOwnedBy(userId: string): Promise<void> {
    const owned = await this.bundles
      .find({ ownerId: new Types.ObjectId(userId) }, { _id: 1 })
      .lean()
      .exec();
    for (const bundle of owned) await this.erase(bundle._id);
  }

  /** Links and shares first (through the registry), so none outlives its bundle. */
  private async erase(bundleId: Types.ObjectId): Promise<void> {
    await this.erasure.eraseAll(bundleId.toHexString());
    await this.items.deleteMany({ bundleId }).exec();
    await this.bundles.deleteOne({ _id: bundleId }).exec();
  }

  /** The files, deduplicated in order, once each is checked to be one of the owner's ready files. */
  private async ownReadyFiles(owner: AuthenticatedUser, ids: string[]): Promise<ItemFile[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.files
      .find(
        {
          _id: { $in: unique.map((id) => new Types.ObjectId(id)) },
          uploader: new Types.ObjectId(owner.id),
          status: 'ready',
        },
        { _id: 1, name: 1, size: 1, uploadedAt: 1 },
      )
      .lean<ItemFile[]>()
      .exec();
    const byId = new Map(found.map((file) => [file._id.toHexString(), file]));
    const missing = unique.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new UnprocessableEntityException(
        `Only your own files can go into a bundle; not found among them: ${missing.join(', ')}`,
      );
    }
    return unique.map((id) => byId.get(id)!);
  }

  private async placeItems(bundle: BundleDocument, files: ItemFile[], from: number) {
    if (files.length === 0) return;
    const { _id: bundleId, ownerId } = bundle;
    const writes = files.map((file, index) => ({
      updateOne: {
        filter: { bundleId, fileId: file._id },
        update: { $set: { position: from + index, ownerId, ...fileGrantFields(file) } },
        upsert: true,
      },
    }));
    await upsertRetryingRace(() => this.items.bulkWrite(writes, { ordered: true }));
  }
}
