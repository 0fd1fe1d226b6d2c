import { setFlagsFromString } from 'node:v8';
import { loadNetworkBuiltins } from '../network-builtins';

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 first compiles it with its baseline compiler (Liftoff),
 * then, once the parser is hot (after a handful of responses), recompiles its one very large state-machine function
 * with the optimizing compiler (TurboFan) on a background thread. That recompile cost about 250 ms of CPU and 35 MB
 * of peak memory, which `--discover` (9 requests) paid for nothing (issue 13: 1,126 → 639 ms CPU, 104 → 69 MB peak
 * RSS), and during a sync it held ~31 MB of that thread's malloc arena at the peak (/proc/<pid>/smaps; scenario 2:
 * 124.8 → 97–99 MB on its own). The parser only finds status lines, headers and chunk boundaries (the JSON is parsed
 * by json-body.ts), so its speed is not what a record's CPU is made of: syncs measured the same CPU either way
 * (43k records 5.11 / 5.18 s; scenario 2 ~100k 3.65–4.14 s with, 3.77–4.86 s without). So only the baseline code is
 * used. Set when the client module loads, for the tap, target-kustomer and any host that embeds the client; V8
 * reads the flags when it compiles WebAssembly, which undici does at its first connection.
 *
 * `--liftoff-only` alone was enough on Node 20 and 22. On the command line it also turns tier-up off (a flag
 * implication), but set at run time, as here, it does not on Node 24 and 25 (V8 13.6 and 14.1): there llhttp was
 * still recompiled by TurboFan mid-sync (seen under gdb, and in V8's compile trace), and peak RSS at ~100k records
 * was 12–16 MB higher. Each of the three flags below is set explicitly, so no implication is needed.
 */
const BASELINE_WASM_FLAGS = ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'] as const;

function keepWasmBaseline(): void {
  // The first flag change of a program that sets no other (target-kustomer): its built-ins load first.
  loadNetworkBuiltins();
  for (const flag of BASELINE_WASM_FLAGS) setFlagsFromString(flag);
}

keepWasmBaseline();
