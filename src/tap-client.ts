import type { Config } from './config';
import { connect } from './kustomer-client/connect';
import type { KustomerClient } from './kustomer-client/client';
import type { Logger } from './log';

/** The tap's one Kustomer client of a run (discovery or sync); its default User-Agent names the tap's version. */
export function makeClient(config: Config, logger: Logger, version: string, signal?: AbortSignal, windowMs = 60_000): KustomerClient {
  return connect(config, logger, `tap-kustomer/${version}`, signal, windowMs);
}
