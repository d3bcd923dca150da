// The retention rule of local backups (manifest.ts), for backups kept in S3: keep the `keep` newest, drop
// any older than `maxAgeDays` (0: no age limit), never the newest. Pure, so it is tested without a store.
import type { Manifest } from './manifest.js';

/** `all` newest first → the ones to delete. */
export function doomedBackups(all: readonly Manifest[], keep: number, maxAgeDays: number, now = Date.now()): Manifest[] {
  const cutoff = maxAgeDays > 0 ? now - maxAgeDays * 86_400_000 : -Infinity;
  return all.filter((m, i) => i > 0 && (i >= keep || new Date(m.createdAt).getTime() < cutoff));
}
