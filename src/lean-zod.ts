/**
 * The parts of zod the tap and target-kustomer use at run time, named one by one; their modules import zod from here
 * (`import * as z from './lean-zod'`), never from 'zod' itself (only the sandbox, a development stand-in, does).
 *
 * Why: zod's CommonJS build loads all of zod whatever is used: every schema type, the JSON Schema converters, and
 * its 40-odd locales (~200 files). That load was about a quarter of `--discover`'s start-up CPU (issue 13). The build
 * (scripts/bundle-lean-zod.js) replaces the compiled form of this file with one file holding only the zod code these
 * names reach, tree-shaken from zod's own ES modules by esbuild: same code, so the same checks and the same error
 * messages. Run from the sources (tests), this module is zod itself. A function missing here fails to compile where it
 * is used; add it to the list.
 */
export { array, boolean, enum, literal, looseObject, number, object, record, string, toJSONSchema } from 'zod';
export type { infer, ZodType } from 'zod';
