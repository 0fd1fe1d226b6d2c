/**
 * The Node built-in modules that the HTTP client loads (undici's, commander's), loaded before a V8 flag changes.
 *
 * Node compiles its built-ins from a code cache inside its binary, and V8 takes that cache only while its flags are
 * the ones node started with: after any `v8.setFlagsFromString`, every built-in loaded later is compiled from its
 * source (`NODE_DEBUG_NATIVE=CODE_CACHE` prints "rejected"). That was about 20 ms of `--discover`'s CPU (issue 13).
 * So whatever sets a flag in a process that will make requests loads these first: lean-heap.ts for the tap,
 * kustomer-client/wasm-tiering.ts for every program that loads the client (target-kustomer sets no other flag).
 * test/integration/builtins-cache.test.ts fails when a run compiles one of them from source.
 */
const NETWORK_BUILTINS = ['assert', 'child_process', 'crypto', 'diagnostics_channel', 'http', 'http2', 'net', 'process', 'tls'] as const;

export function loadNetworkBuiltins(): void {
  for (const id of NETWORK_BUILTINS) require(`node:${id}`);
}
