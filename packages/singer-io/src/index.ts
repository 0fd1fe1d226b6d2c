/** What the project's Singer executables share: exit codes and one-line errors, and the Singer message reader. */
export { ExitCode, InputError, TapError } from './errors';
export { readSingerMessages, short, singerMessage, type Chunks, type SingerLine, type SingerMessage } from './read-messages';
