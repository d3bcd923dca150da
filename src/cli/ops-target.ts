// Where `pesquel migrate | backup | restore` do their work: a running embedded server (through its
// control endpoint, since a PGlite data directory admits one process) or the database itself.
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { prepareConfiguredDatabase } from '../db/prepare.js';
import { DataDirError } from '../db/data-dir.js';
import { openDb } from '../db/open.js';
import type { Db } from '../db/types.js';
import { controlFilePath, type ControlFile } from '../http/control-server.js';
import { CliError } from './cli-error.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The embedded server serving config.dataDir, if one is running (a stale file is ignored). */
export function runningEmbedded(config: Config): ControlFile | null {
  if (config.dbUri !== null) return null;
  const path = controlFilePath(config.dataDir);
  if (!existsSync(path)) return null;
  try {
    const cf = JSON.parse(readFileSync(path, 'utf8')) as ControlFile;
    return alive(cf.pid) ? cf : null;
  } catch {
    return null;
  }
}

export async function callControl<T>(cf: ControlFile, route: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(cf.url + route, {
      method: 'POST',
      headers: { Authorization: `Bearer ${cf.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(`PeSquel (pid ${cf.pid}) serves this data directory but its control endpoint ${cf.url} does not answer: ${(err as Error).message}`);
  }
  const out = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new CliError(out.error ?? `control endpoint answered HTTP ${res.status}`);
  return out;
}

/** Opens the configured database, initialised as `pesquel start` would (db-init). */
export async function openTarget(config: Config, init = config.dbInit): Promise<Db> {
  let db: Db;
  try {
    db = await openDb(config);
  } catch (err) {
    // A locked or unusable data directory says what is wrong and where already.
    throw new CliError(err instanceof DataDirError ? err.message : `cannot open the database: ${(err as Error).message}`);
  }
  try {
    if (init) await prepareConfiguredDatabase(config, db);
  } catch (err) {
    await db.close();
    throw new CliError(`cannot reach or initialise the database: ${(err as Error).message.split('\n')[0]}`);
  }
  return db;
}
