import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/** One counted download of a share link: the link's download number `slot`, taken by one request. */
@Schema({ collection: 'share_link_download_slots', versionKey: false })
export class LinkDownloadSlot {
  @Prop({ type: Types.ObjectId, required: true })
  linkId!: Types.ObjectId;

  @Prop({ required: true })
  slot!: number;

  @Prop({ required: true, default: () => new Date() })
  claimedAt!: Date;
}

export type LinkDownloadSlotDocument = HydratedDocument<LinkDownloadSlot>;
export const LinkDownloadSlotSchema = SchemaFactory.createForClass(LinkDownloadSlot);
/** What makes a slot taken exactly once, across every instance. */
LinkDownloadSlotSchema.index({ linkId: 1, slot: 1 }, { unique: true });
