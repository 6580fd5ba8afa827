import type { KeyProviderName } from '@strongroom/config';
import { DependencyUnavailableError } from '@strongroom/common';
import { UnconfiguredKeyProviderError } from '../encryption.errors';
import type { DataKeyCache } from './data-key.cache';
import type { KeyCallOutcome, KeyOperation, KeyServiceMetrics } from './key-service.metrics';
import {
  type GeneratedDataKey,
  type KeyWrapper,
  providerOf,
  type WrappedKey,
} from './key-wrapper.port';

/**
 * The KeyWrapper the application uses: new keys are wrapped by KEY_PROVIDER's adapter, and a
 * record's key is unwrapped by the adapter its record names, so files from before a change of
 * provider keep opening. Every call is timed and counted; unwrapped keys go through the cache.
 */
export class RoutingKeyWrapper implements KeyWrapper {
  constructor(
    private readonly current: KeyWrapper,
    private readonly adapters: ReadonlyMap<KeyProviderName, KeyWrapper>,
    private readonly cache: DataKeyCache,
    private readonly metrics: KeyServiceMetrics,
  ) {}

  get provider(): KeyProviderName {
    return this.current.provider;
  }

  /** Every provider with settings, whose records this instance can open. */
  get providers(): KeyProviderName[] {
    return [...this.adapters.keys()];
  }

  get currentKeyId(): string {
    return this.current.currentKeyId;
  }

  resolveCurrentKeyId(): Promise<string> {
    return this.current.resolveCurrentKeyId();
  }

  async generateDataKey(binding: string): Promise<GeneratedDataKey> {
    const generated = await this.timed(this.current, 'generate', () =>
      this.current.generateDataKey(binding),
    );
    // The upload that made it reads it back at once (its scan, a preview).
    this.cache.set(generated.wrapped, binding, generated.dataKey);
    return generated;
  }

  wrap(secret: Buffer, binding: string): Promise<WrappedKey> {
    return this.timed(this.current, 'wrap', () => this.current.wrap(secret, binding));
  }

  /** Wraps under the adapter of `provider` rather than the current one: key rotation's target. */
  adapter(provider: KeyProviderName): KeyWrapper {
    const adapter = this.adapters.get(provider);
    if (!adapter) throw new UnconfiguredKeyProviderError(provider);
    return adapter;
  }

  async unwrap(wrapped: WrappedKey, binding: string): Promise<Buffer> {
    const cached = this.cache.get(wrapped, binding);
    this.metrics.cacheLookup(cached !== undefined);
    if (cached) return cached;
    const adapter = this.adapter(providerOf(wrapped));
    const key = await this.timed(adapter, 'unwrap', () => adapter.unwrap(wrapped, binding));
    this.cache.set(wrapped, binding, key);
    return key;
  }

  /** Every configured provider must answer: records under any of them may be read. */
  async checkHealth(): Promise<void> {
    await Promise.all([...this.adapters.values()].map((adapter) => adapter.checkHealth()));
  }

  /** Closes the adapters' connections. */
  destroy(): void {
    for (const adapter of this.adapters.values()) adapter.destroy?.();
  }

  private async timed<T>(
    adapter: KeyWrapper,
    operation: KeyOperation,
    call: () => Promise<T>,
  ): Promise<T> {
    const done = this.metrics.callTimer(adapter.provider, operation);
    let outcome: KeyCallOutcome = 'refused';
    try {
      const result = await call();
      outcome = 'success';
      return result;
    } catch (error) {
      if (error instanceof DependencyUnavailableError) outcome = 'unavailable';
      throw error;
    } finally {
      done(outcome);
    }
  }
}
