import type { Config } from '../config';
import type { Logger } from '../log';
import { KustomerClient } from './client';
import { RateBudget } from './rate-budget';

/** The settings every Kustomer client needs, whichever executable (tap or target) owns them. */
export type ConnectionSettings = Pick<
  Config,
  | 'baseUrl'
  | 'api_key'
  | 'user_agent'
  | 'request_timeout_seconds'
  | 'max_retries'
  | 'max_concurrency'
  | 'connect_retry_seconds'
  | 'api_utilization_percent'
  | 'rate_limit_per_minute'
  | 'search_rate_limit_per_minute'
>;

/**
 * One client per run: the org budget (scaled by api_utilization_percent, learned from x-ratelimit-*) is shared by
 * every request of the run, so reads, lookups, writes and polls are paced together.
 */
export function connect(settings: ConnectionSettings, logger: Logger, defaultUserAgent: string, signal?: AbortSignal, windowMs = 60_000): KustomerClient {
  const utilization = settings.api_utilization_percent / 100;
  return new KustomerClient({
    baseUrl: settings.baseUrl,
    apiKey: settings.api_key,
    userAgent: settings.user_agent ?? defaultUserAgent,
    timeoutMs: settings.request_timeout_seconds * 1000,
    maxRetries: settings.max_retries,
    maxConcurrency: settings.max_concurrency,
    connectRetryMs: settings.connect_retry_seconds * 1000,
    org: new RateBudget({ name: 'org', limit: settings.rate_limit_per_minute, windowMs, utilization, learnLimit: 'always' }),
    search: new RateBudget({ name: 'search', limit: settings.search_rate_limit_per_minute, windowMs, utilization, learnLimit: 'when-lower' }),
    logger,
    signal,
  });
}
