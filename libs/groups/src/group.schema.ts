import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/** A named set of users that files can be shared with; admins manage it. */
@Schema({ collection: 'groups', versionKey: false })
export class Group {
  @Prop({ required: true })
  name!: string;

  /** The name compared as people read it (NFKC, lower case), unique, so "Legal" and "legal" are one group. */
  @Prop({ required: true, unique: true })
  nameKey!: string;

  @Prop({ type: String, default: '' })
  description!: string;

  /**
   * The value of the identity provider's groups claim whose holders are this group's members:
   * when set, single sign-on decides membership and hand-made changes are refused.
   */
  @Prop({ type: String, default: null, index: { sparse: true } })
  idpGroup!: string | null;

  @Prop({ type: Types.ObjectId, required: true })
  createdBy!: Types.ObjectId;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type GroupDocument = HydratedDocument<Group>;
export const GroupSchema = SchemaFactory.createForClass(Group);

export const groupNameKey = (name: string) => name.normalize('NFKC').trim().toLowerCase();
