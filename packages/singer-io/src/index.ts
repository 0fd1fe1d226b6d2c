/** What the project's Singer executables share: exit codes and one-line errors, and the Singer message reader. */
export { ExitCode, InputError, TapError } from './errors';
export { DEFAULT_MAX_LINE_CHARS, readLines, readSingerMessages, singerMessage, type Chunks, type SingerLine, type SingerMessage } from './read-messages';
