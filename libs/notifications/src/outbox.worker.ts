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
import { MailTransport } from './mail-transport';
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
  makeGaugeProvider({ name: PENDING, help: 'Outbox messages waiting to be sent' }),
  makeGaugeProvider({
    name: OLDEST_AGE,
    help: 'Age in seconds of the oldest outbox message still waiting (0 when none)',
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
    private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectMetric(DELIVERIES) private readonly deliveries: Counter<'topic' | 'outcome'>,
    @InjectMetric(PENDING) private readonly pending: Gauge,
    @InjectMetric(OLDEST_AGE) private readonly oldestAge: Gauge,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.transport.enabled) return;
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
      const { pending, oldestAgeSeconds } = await this.outbox.backlog();
      this.pending.set(pending);
      this.oldestAge.set(oldestAgeSeconds);
    } catch (error) {
      this.logger.warn(`outbox poll failed: ${(error as Error).message}`);
    }
  }
}
