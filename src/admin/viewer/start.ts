// Builds the viewer's connection when the admin UI starts on a server (none on the embedded
// database) and prepares pesquel_viewer at once, logging the one line to act on when it cannot.
import type { Config } from '../../config/config.js';
import type { Logger } from '../../observability/logger.js';
import type { AdminDb } from '../db/admin-db.js';
import { ViewerDb } from './viewer-db.js';

export async function viewerDbFor(config: Config, adb: AdminDb, logger: Logger): Promise<ViewerDb | undefined> {
  if (adb.kind !== 'postgres' || config.dbUri === null) return undefined;
  const viewer = new ViewerDb({
    uri: config.dbUri, admin: adb,
    onError: (message) => logger.warn({ event: 'admin-viewer-db-error', message }, 'admin UI viewer connection error'),
  });
  const why = await viewer.problem();
  if (why) logger.warn({ event: 'admin-viewer-sql-off' }, `admin UI: ${why}`);
  return viewer;
}
