import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

const CALLS_TOTAL = 'key_service_calls_total';
const CALL_SECONDS = 'key_service_call_duration_seconds';
const CACHE_LOOKUPS_TOTAL = 'data_key_cache_lookups_total';

export type KeyOperation = 'generate' | 'wrap' | 'unwrap';
/** `unavailable`: the key service could not be reached or failed; `refused`: it would not open that key. */
export type KeyCallOutcome = 'success' | 'unavailable' | 'refused';

export const KEY_SERVICE_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: CALLS_TOTAL,
    help: 'Calls to the key provider, by provider, operation (generate, wrap, unwrap) and outcome (success, unavailable, refused)',
    labelNames: ['provider', 'operation', 'outcome'],
  }),
  makeHistogramProvider({
    name: CALL_SECONDS,
    help: 'Time a call to the key provider took, by provider and operation',
    labelNames: ['provider', 'operation'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  makeCounterProvider({
    name: CACHE_LOOKUPS_TOTAL,
    help: 'Unwraps answered from the in-memory data-key cache (hit) or by the key provider (miss)',
    labelNames: ['result'],
  }),
];

@Injectable()
export class KeyServiceMetrics {
  constructor(
    @InjectMetric(CALLS_TOTAL)
    private readonly calls: Counter<'provider' | 'operation' | 'outcome'>,
    @InjectMetric(CALL_SECONDS) private readonly seconds: Histogram<'provider' | 'operation'>,
    @InjectMetric(CACHE_LOOKUPS_TOTAL) private readonly lookups: Counter<'result'>,
  ) {}

  /** Starts timing a call; call the result with its outcome. */
  callTimer(provider: string, operation: KeyOperation): (outcome: KeyCallOutcome) => void {
    const stop = this.seconds.startTimer({ provider, operation });
    return (outcome) => {
      stop();
      this.calls.inc({ provider, operation, outcome });
    };
  }

  cacheLookup(hit: boolean): void {
    this.lookups.inc({ result: hit ? 'hit' : 'miss' });
  }
}
