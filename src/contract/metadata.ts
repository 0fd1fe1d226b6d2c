/**
 * `GET /v1/metadata/{resource}`: the published document names the resources whose custom-attribute metadata can be
 * read: company, conversation, customer, message and `kobject.<klass name>`. Notes and users are not among them.
 */
export const METADATA_STANDARD_RESOURCES = ['company', 'conversation', 'customer', 'message'] as const;

export function isMetadataResource(resource: string): boolean {
  return (METADATA_STANDARD_RESOURCES as readonly string[]).includes(resource) || /^kobject\.[^/]+$/.test(resource);
}
