import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AuditEvent } from '../audit-event.schema';
import { AuditEventResponse } from '../dto/audit-event.dto';
import { checkpointFields } from './audit-checkpoint';
import { AuditCheckpointRecord } from './audit-checkpoint.schema';

const EXPORT_BATCH = 500;

/**
 * The audit trail as NDJSON for a SIEM: one line per event (`"kind":"event"`) in sequence order,
 * each checkpoint (`"kind":"checkpoint"`) right after the event it signs. Both come from cursors,
 * so memory stays flat however long the trail; a consumer resumes with `after` = the last seq it
 * stored.
 */
@Injectable()
export class AuditExport {
  constructor(
    @InjectModel(AuditEvent.name) private readonly events: Model<AuditEvent>,
    @InjectModel(AuditCheckpointRecord.name)
    private readonly checkpoints: Model<AuditCheckpointRecord>,
  ) {}

  async *lines(after: number): AsyncGenerator<string> {
    const events = this.events
      .find({ seq: { $gt: after } }, { _id: 0 })
      .sort({ seq: 1 })
      .lean<AuditEvent>()
      .cursor({ batchSize: EXPORT_BATCH });
    const checkpointCursor = this.checkpoints
      .find({ seq: { $gt: after } }, { _id: 0 })
      .sort({ seq: 1 })
      .lean<AuditCheckpointRecord>()
      .cursor({ batchSize: EXPORT_BATCH });
    const checkpoints = checkpointCursor[Symbol.asyncIterator]();
    let pending = await checkpoints.next();
    try {
      for await (const event of events) {
        yield `${JSON.stringify({ kind: 'event', ...AuditEventResponse.from(event) })}\n`;
        while (!pending.done && pending.value.seq <= event.seq) {
          yield `${JSON.stringify({ kind: 'checkpoint', ...checkpointFields(pending.value) })}\n`;
          pending = await checkpoints.next();
        }
      }
    } finally {
      await checkpointCursor.close();
    }
  }
}
