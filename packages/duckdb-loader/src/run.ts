/**
 * Streams in, state out: Singer messages from `input` (one JSON object per line), state values to `output` (one JSON
 * line each, nothing else), stopping cleanly on an abort (SIGTERM, SIGINT) or a closed stdout (EPIPE).
 */
import type { Readable, Writable } from 'node:stream';
import { readSingerMessages } from '@tap-kustomer/singer-io';
import { defaultLog } from './defaults';
import { errorMessage } from './error-text';
import { DuckDbLoader } from './loader';
import { type RunTargetOptions, type TargetSummary, TargetAbortedError, TargetError, TargetExitCode, TargetInputError } from './types';


function abortError(signal: AbortSignal): TargetError {
  const reason: unknown = signal.reason;
  if (reason instanceof TargetError) return reason;
  return new TargetAbortedError('stopped', TargetExitCode.terminated);
}

/** Writes one line and resolves once it is handed to the destination; rejects on EPIPE and other errors. */
function writeLine(output: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (output.destroyed || output.writableEnded) {
      reject(new TargetAbortedError('stdout is closed; the state can no longer be reported', TargetExitCode.brokenPipe));
      return;
    }
    output.write(line, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
}

function isBrokenPipe(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/**
 * Runs the target: Singer messages from `input` (one JSON object per line), state values to `output` (one JSON line
 * each, nothing else). Resolves with the summary; rejects with a TargetError whose exitCode says why.
 */
export async function runTarget(input: Readable, output: Writable, opts: RunTargetOptions): Promise<TargetSummary> {
  const log = opts.log ?? defaultLog;
  const internal = new AbortController();
  const onOutputError = (err: unknown): void => {
    internal.abort(
      isBrokenPipe(err)
        ? new TargetAbortedError('stdout was closed (EPIPE); stopping', TargetExitCode.brokenPipe)
        : new TargetError(`cannot write to stdout: ${errorMessage(err)}`, TargetExitCode.internal),
    );
  };
  output.on('error', onOutputError);
  const onExternalAbort = (): void => {
    if (opts.signal) internal.abort(opts.signal.reason);
  };
  if (opts.signal?.aborted) onExternalAbort();
  opts.signal?.addEventListener('abort', onExternalAbort, { once: true });
  const signal = internal.signal;
  const onAbort = (): void => {
    // Stop reading at once; the for-await below then ends with an error.
    input.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  let loader: DuckDbLoader | undefined;
  let ok = false;
  try {
    if (signal.aborted) throw abortError(signal);
    loader = await DuckDbLoader.open({
      ...opts,
      log,
      emitState: async (value) => {
        if (signal.aborted) throw abortError(signal);
        try {
          await writeLine(output, (JSON.stringify(value) ?? 'null') + '\n');
        } catch (e) {
          if (e instanceof TargetError) throw e;
          if (isBrokenPipe(e)) throw new TargetAbortedError('stdout was closed (EPIPE); stopping', TargetExitCode.brokenPipe);
          throw new TargetError(`cannot write state to stdout: ${errorMessage(e)}`, TargetExitCode.internal);
        }
      },
    });
    try {
      for await (const { lineNo, message } of readSingerMessages(input)) {
        if (signal.aborted) throw abortError(signal);
        await loader.handle(message, `line ${lineNo}`);
        if (signal.aborted) throw abortError(signal);
      }
    } catch (e) {
      if (signal.aborted && !(e instanceof TargetInputError)) throw abortError(signal);
      throw e;
    }
    if (signal.aborted) throw abortError(signal);
    await loader.finish();
    ok = true;
    await loader.logSummary();
    return loader.summary();
  } finally {
    if (loader) {
      if (!ok && loader.summary().records > 0) await loader.logSummary(true).catch(() => undefined);
      loader.close();
    }
    output.off('error', onOutputError);
    opts.signal?.removeEventListener('abort', onExternalAbort);
    signal.removeEventListener('abort', onAbort);
  }
}
