import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

const DELIVERIES = 'strongroom_webhook_deliveries_total';
const DURATION = 'strongroom_webhook_delivery_duration_seconds';

export const WEBHOOK_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: DELIVERIES,
    help: 'Webhook delivery attempts, by event and outcome (delivered, rejected: a non-2xx answer, error: no answer, refused: a private address)',
    labelNames: ['event', 'outcome'],
  }),
  makeHistogramProvider({
    name: DURATION,
    help: 'Webhook delivery attempt duration, by outcome',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
];

export type WebhookAttemptOutcome = 'delivered' | 'rejected' | 'error' | 'refused';

@Injectable()
export class WebhookMetrics {
  constructor(
    @InjectMetric(DELIVERIES) private readonly deliveries: Counter<'event' | 'outcome'>,
    @InjectMetric(DURATION) private readonly duration: Histogram<'outcome'>,
  ) {}

  attempted(event: string, outcome: WebhookAttemptOutcome, durationMs: number): void {
    this.deliveries.inc({ event, outcome });
    this.duration.observe({ outcome }, durationMs / 1000);
  }
}
