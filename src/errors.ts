/** The exit codes and error classes every executable of the project shares (packages/singer-io/src/errors.ts). */
export { ExitCode, InputError, TapError } from '@tap-kustomer/singer-io';
