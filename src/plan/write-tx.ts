// How a request's transaction ends: db-tx-end, overridden by `Prefer: tx=` when the setting
// allows it (commit-allow-override / rollback-allow-override), as PostgREST decides.
import type { Config } from '../config/config.js';
import type { Preferences } from '../request/types.js';

export interface TxEnd {
  readonly end: 'commit' | 'rollback';
  /** The `tx=` preference to echo in Preference-Applied (null when it was not honoured). */
  readonly applied: 'commit' | 'rollback' | null;
}

export function txEnd(setting: Config['dbTxEnd'], prefs: Pick<Preferences, 'tx'>): TxEnd {
  const base = setting.startsWith('rollback') ? 'rollback' : 'commit';
  if (setting.endsWith('-allow-override') && prefs.tx !== null) return { end: prefs.tx, applied: prefs.tx };
  return { end: base, applied: null };
}
