const DAY_MS = 24 * 60 * 60 * 1000;

export interface DailyActivity {
  /** The UTC day, `YYYY-MM-DD`. */
  date: string;
  uploads: number;
  bytes: number;
}

/** Midnight UTC of the first of the `days` days that end with today's. */
export function activityWindowStart(days: number, now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

/**
 * Folds upload events into one row per UTC day from `start`, every day present (zeros included)
 * so a chart needs no gap handling. Events outside the window are ignored.
 */
export class DailyActivityFold {
  private readonly rows: DailyActivity[];

  constructor(
    private readonly start: Date,
    days: number,
  ) {
    this.rows = Array.from({ length: days }, (_, index) => ({
      date: new Date(start.getTime() + index * DAY_MS).toISOString().slice(0, 10),
      uploads: 0,
      bytes: 0,
    }));
  }

  add(at: Date, bytes: unknown): void {
    const row = this.rows[Math.floor((at.getTime() - this.start.getTime()) / DAY_MS)];
    if (!row) return;
    row.uploads += 1;
    // Events written by older versions may lack a size; they still count as uploads.
    if (typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0) row.bytes += bytes;
  }

  result(): DailyActivity[] {
    return this.rows.map((row) => ({ ...row }));
  }
}
