/**
 * Kustomer's search contexts name the attributes they search by: `customer_updated_at`, `conversation_created_at`…
 * A klass context (`kobject_<klass>`) reads KObject's own (`kobject_updated_at`), and the audit log names all of its
 * objects `kobject`. One rule for the tap's keyset, its delete detection and the sandbox's contract.
 */
export function baseContext(queryContext: string): string {
  return queryContext.startsWith('kobject_') ? 'kobject' : queryContext;
}
