// "Save as migration": the designer's statements written as a new file of the migrations folder
// (named and versioned like `pesquel migrate new`), never over an existing file.
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { newMigration } from '../../migrate/files.js';

/** Writes `<dir>/<version>_<slug>.sql` holding `statements` and returns its file name. */
export function saveMigration(dir: string, name: string, statements: readonly string[]): string {
  // newMigration creates the file with the 'wx' flag: an existing file is an error, never replaced.
  const file = newMigration(dir, name);
  appendFileSync(file, statements.join('\n\n') + '\n');
  return basename(file);
}
