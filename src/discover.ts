import type { Config } from './config';
import type { KustomerClient } from './kustomer-client/client';
import type { Logger } from './log';
import { OrgFacts } from './org-facts';
import type { Catalog } from './singer/catalog';
import { availableStreams, catalogEntries } from './streams/catalog-entries';

/** The catalog `--discover` prints: every stream this org offers, typed with its custom attributes. */
export async function discoverCatalog(config: Config, client: KustomerClient, logger: Logger): Promise<Catalog> {
  const facts = new OrgFacts(client, logger);
  return { streams: await catalogEntries(await availableStreams(config, facts), facts) };
}
