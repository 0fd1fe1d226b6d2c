import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { loadNetworkBuiltins } from './network-builtins';

/**
 * Commands that make no request load none of the network built-ins (network-builtins.ts): they are left as they
 * were, so that `--about`'s footprint, which issue 13 measures a sync's memory against, stays what the tap needs.
 * These are cli.ts's options that answer without a request; argv is read as it is because this runs before
 * commander (or anything else) loads.
 */
const OFFLINE_COMMANDS: readonly string[] = ['--about', '--help', '-h', '--version', '-V'];

/**
 * Sizes the V8 heap for a streaming process, from inside the program (users pass no Node flags).
 *
 * The tap's live data is small and steady (the modules, one page or two in flight, one output chunk), but V8's
 * defaults size the heap for throughput: the young generation grows to 16 MB semi-spaces (48 MB committed) as soon
 * as module loading survives a few scavenges, and the old generation may grow to about four times what the last
 * full GC left before the next one. Measured on the benchmark (bench/RESULTS.md), that slack was most of the peak
 * RSS. Both settings below are read by V8 while it runs (unlike --max-semi-space-size, which only counts at heap
 * creation), so setting them before the rest of the tap loads keeps the process near its live size:
 * - the semi-spaces never grow past their initial 1 MB: short-lived objects (a record's projection, its JSON line)
 *   die in a cache-sized nursery;
 * - the old generation grows by 20 % over what the last full GC kept before the next one starts.
 * There is no limit: a larger live set (a huge page, a wide record) still fits; it only triggers GCs earlier.
 *
 * (Native memory taken by undici's WebAssembly HTTP parser is kept low by kustomer-client/wasm-tiering.ts.)
 */
export function leanHeap(argv: readonly string[] = process.argv): void {
  if (!argv.some((arg) => OFFLINE_COMMANDS.includes(arg))) loadNetworkBuiltins();
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=20');
}

// Imported first by cli.ts: run as the program (`tap-kustomer`, `node dist/cli.js`), the heap is sized before
// anything else loads. Imported by a test runner or another program, the host's heap is left alone.
if (require.main?.filename === join(__dirname, 'cli.js')) leanHeap();
