import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { OutboxChannels } from './outbox-channel';
import { Outbox, OUTBOX_BATCH_SIZE } from './outbox.service';

const DELIVERIES = 'strongroom_outbox_deliveries_total';
const PENDING = 'strongroom_outbox_pending';
const OLDEST_AGE = 'strongroom_outbox_oldest_pending_age_seconds';
const PRUNE_INTERVAL_MS = 3_600_000;

export const OUTBOX_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: DELIVERIES,
    help: 'Outbox delivery attempts, by topic and outcome (sent, retry, failed)',
    labelNames: ['topic', 'outcome'],
  }),
  makeGaugeProvider({
    name: PENDING,
    help: 'Outbox messages waiting to be sent, by channel (mail, webhook)',
    labelNames: ['channel'],
  }),
  makeGaugeProvider({
    name: OLDEST_AGE,
    help: 'Age in seconds of the oldest outbox message still waiting, by channel (0 when none); webhooks wait days for a receiver that is down',
    labelNames: ['channel'],
  }),
];

/**
 * Polls the outbox on every instance; the per-attempt claims keep each message to one sender. A
 * message queued on this instance wakes it at once (the poll is for retries, and for messages
 * queued by other instances), and a full batch is followed by the next straight away, so neither
 * one event nor a burst waits for the poll interval.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxWorker');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private stopListening?: () => void;
  private prunedAt = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly channels: OutboxChannels,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectMetric(DELIVERIES) private readonly deliveries: Counter<'topic' | 'outcome'>,
    @InjectMetric(PENDING) private readonly pending: Gauge<'channel'>,
    @InjectMetric(OLDEST_AGE) private readonly oldestAge: Gauge<'channel'>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.channels.enabledNames().length === 0) return;
    this.timer = setInterval(() => this.wake(), this.config.mail.outboxPollMs);
    this.timer.unref();
    this.stopListening = this.outbox.onEnqueued(() => this.wake());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.stopListening?.();
    await this.running;
  }

  /** Polls now, or right after the poll under way, which may have looked before the news. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.tick();
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
  }

  /** One poll: deliver what is due, then refresh the backlog gauges. */
  async tick(): Promise<void> {
    try {
      const handled = await this.outbox.deliverDue(new Date(), (message, outcome) =>
        this.deliveries.inc({ topic: message.topic, outcome }),
      );
      if (handled >= OUTBOX_BATCH_SIZE) this.again = true;
      if (Date.now() - this.prunedAt >= PRUNE_INTERVAL_MS) {
        this.prunedAt = Date.now();
        await this.outbox.prune();
      }
      for (const { channel, pending, oldestAgeSeconds } of await this.outbox.backlog()) {
        this.pending.set({ channel }, pending);
        this.oldestAge.set({ channel }, oldestAgeSeconds);
      }
    } catch (error) {
      this.logger.warn(`outbox poll failed: ${(error as Error).message}`);
    }
  }
}
