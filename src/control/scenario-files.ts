// Scenario files named through the control plane (`POST /_inspector2/scenario {"file": …}`):
// only regular files inside one folder (INSPECTOR2_SCENARIOS_DIR, default ./scenarios), read
// with a size cap. The name is relative to the folder; its real path (symbolic links resolved)
// must stay inside the folder's real path; a FIFO, a device, a directory or a file larger
// than the cap is refused before a byte is read, and the file is opened non-blocking so that
// nothing (a FIFO swapped in) can hang the server. Errors name the requested name only:
// never an absolute path, never the file's contents.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { resolve, sep } from 'node:path';

/** INSPECTOR2_SCENARIOS_DIR's default, relative to the working directory. */
export const DEFAULT_SCENARIOS_DIR = 'scenarios';
/** The largest scenario file read (as large as a scenario posted inline may be). */
export const MAX_SCENARIO_FILE_BYTES = 64 * 1024 * 1024;
const MAX_NAME_LENGTH = 1024;

/** Why a scenario file cannot be read; the message is safe to answer. */
export class ScenarioFileError extends Error {}

/** The name as shown in messages: quoted, control characters escaped, shortened. */
export function shownName(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}...` : name);
}

/** Reads a scenario file named relative to the scenarios folder; throws ScenarioFileError with a safe message. */
export function readScenarioFile(folder: string, name: string, maxBytes = MAX_SCENARIO_FILE_BYTES): string {
  const shown = shownName(name);
  if (name === '' || name.length > MAX_NAME_LENGTH || name.includes('\0')) {
    throw new ScenarioFileError(`file ${shown}: must be the name of a file in the scenarios folder (at most ${MAX_NAME_LENGTH} characters)`);
  }
  // Not even echoed: an absolute path is no name in the folder.
  if (/^([/\\]|[A-Za-z]:)/.test(name)) throw new ScenarioFileError('file: must be a name relative to the scenarios folder, not an absolute path');
  if (name.split(/[/\\]/).includes('..')) throw new ScenarioFileError(`file ${shown}: must not leave the scenarios folder ('..')`);

  let root: string;
  try {
    root = realpathSync(resolve(folder));
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new ScenarioFileError('there is no scenarios folder (INSPECTOR2_SCENARIOS_DIR, default ./scenarios)');
  }
  let real: string;
  try {
    real = realpathSync(resolve(root, name));
  } catch {
    throw new ScenarioFileError(`file ${shown}: there is no such file in the scenarios folder`);
  }
  // Symbolic links are followed, but only to somewhere inside the folder.
  if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) throw new ScenarioFileError(`file ${shown}: leads outside the scenarios folder`);
  let found: Stats;
  try {
    found = statSync(real);
  } catch {
    throw new ScenarioFileError(`file ${shown}: there is no such file in the scenarios folder`);
  }
  if (!found.isFile()) throw new ScenarioFileError(`file ${shown}: is not a regular file`);
  if (found.size > maxBytes) throw new ScenarioFileError(`file ${shown}: is larger than the limit of ${maxBytes} bytes`);

  // Non-blocking and not following a link: a FIFO or link swapped in since the checks cannot hang or redirect the read.
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch {
    throw new ScenarioFileError(`file ${shown}: cannot be opened`);
  }
  try {
    const opened = fstatSync(fd);
    // The very file that was checked (not another one put in its place), still regular and small enough.
    if (!opened.isFile() || opened.dev !== found.dev || opened.ino !== found.ino) throw new ScenarioFileError(`file ${shown}: is not a regular file`);
    if (opened.size > maxBytes) throw new ScenarioFileError(`file ${shown}: is larger than the limit of ${maxBytes} bytes`);
    // One byte more than the file holds is asked for, so that a file growing while it is read is caught too.
    const buffer = Buffer.alloc(opened.size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === buffer.length) throw new ScenarioFileError(`file ${shown}: changed while it was read`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof ScenarioFileError) throw error;
    throw new ScenarioFileError(`file ${shown}: cannot be read`);
  } finally {
    closeSync(fd);
  }
}
