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
import { Outbox } from './outbox.service';

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

/** Polls the outbox on every instance; the per-attempt claims keep each message to one sender. */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxWorker');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
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
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.config.mail.outboxPollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One poll: deliver what is due, then refresh the backlog gauges. */
  async tick(): Promise<void> {
    try {
      await this.outbox.deliverDue(new Date(), (message, outcome) =>
        this.deliveries.inc({ topic: message.topic, outcome }),
      );
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
