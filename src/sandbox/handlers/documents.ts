/**
 * Single-document reads: `GET /v1/metadata/:resource` (a resource's attribute definitions) and
 * `GET /v1/auth/tokens/current` (what the key may do, never the key itself).
 */
import { isMetadataResource } from '../../contract/metadata';
import type { Handler } from './context';
import { readQuery } from './query';
import { HttpError } from '../http-error';
import { json } from './reply';

export const metadataReply: Handler = (ctx, { param: resource, url }) => {
  readQuery(url, []);
  if (!isMetadataResource(resource)) {
    throw new HttpError(ctx.opts.unknownMetadataStatus, `\`${resource}\` is not a metadata resource (company, conversation, customer, message, kobject.<klass>)`, 'resource');
  }
  const doc = ctx.data.metadata.find((m) => m.id === resource);
  if (!doc) throw new HttpError(404, `no metadata for resource \`${resource}\``, 'resource');
  return json({ data: doc });
};

export const tokenReply: Handler = (ctx, { url }) => {
  readQuery(url, []);
  // Describes the key without ever echoing it.
  return json({ data: { type: 'token', id: 'sandbox-token', attributes: { roles: ctx.opts.roles, userType: 'machine' } } });
};
