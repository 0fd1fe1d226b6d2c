import { setFlagsFromString } from 'node:v8';

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 first compiles it with its baseline compiler (Liftoff),
 * then, once the parser is hot (after a handful of responses), recompiles its one very large state-machine function
 * with the optimizing compiler in a background thread: about 250 ms of CPU and 35 MB of peak memory, which
 * `--discover` (9 requests) paid for nothing (issue 13: 1,126 → 639 ms CPU, 104 → 69 MB peak RSS, load 14). The
 * parser's share of a sync is small (it finds where headers and bodies end; the JSON is parsed by
 * json-body.ts): a 43k-record sync measured the same CPU either way (5.11 / 5.18 s, load 16) and 11 MB less peak
 * RSS. So the baseline code is kept. V8 reads these flags when it compiles WebAssembly, which undici does at its
 * first connection, after this module has loaded.
 */
export function keepWasmBaseline(): void {
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--no-wasm-tier-up');
}

keepWasmBaseline();
