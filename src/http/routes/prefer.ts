// Preference-Applied: echoes the preferences PeSquel honoured, and enforces handling=strict.
import { errors } from '../../errors/codes.js';
import { findTable } from '../../plan/resolve.js';
import { findFunctions } from '../../plan/rpc-resolve.js';
import type { ApiRequest } from '../../request/types.js';
import type { ApiResponse } from '../../response/types.js';
import type { SchemaCache } from '../../schema-cache/types.js';

export interface Applied {
  readonly count?: string | null;
  readonly return?: string | null;
  readonly resolution?: string | null;
  readonly missing?: string | null;
  readonly tx?: string | null;
  readonly maxAffected?: number | null;
}

/**
 * Throws PGRST122 under handling=strict when a preference was not understood. As in PostgREST,
 * whose planner checks this after finding the target, a missing table or function answers first
 * (404 with its hint).
 */
export function checkStrict(req: ApiRequest, cache: SchemaCache): void {
  const p = req.preferences;
  if (p.handling !== 'strict') return;
  if (req.target.kind === 'relation') findTable(cache, req.schema, req.target.name);
  else if (req.target.kind === 'rpc') findFunctions(cache, req.schema, req.target.name);
  const invalid = [...p.invalid];
  if (p.timezone !== null && !cache.timezones.has(p.timezone)) invalid.push(`timezone=${p.timezone}`);
  if (invalid.length > 0) throw errors.invalidPreferences(invalid);
}

export function preferenceApplied(res: ApiResponse, req: ApiRequest, cache: SchemaCache, applied: Applied): void {
  const p = req.preferences;
  const parts: string[] = [];
  if (applied.resolution) parts.push(`resolution=${applied.resolution}`);
  if (applied.missing) parts.push(`missing=${applied.missing}`);
  if (applied.return) parts.push(`return=${applied.return}`);
  if (applied.count) parts.push(`count=${applied.count}`);
  if (p.handling !== null) parts.push(`handling=${p.handling}`);
  if (p.timezone !== null && cache.timezones.has(p.timezone)) parts.push(`timezone=${p.timezone}`);
  if (applied.maxAffected != null) parts.push(`max-affected=${applied.maxAffected}`);
  if (applied.tx) parts.push(`tx=${applied.tx}`);
  // Always honoured: every request with it runs on the primary (db-replica-uris).
  if (p.read !== null) parts.push(`read=${p.read}`);
  if (parts.length > 0) res.headers['Preference-Applied'] = parts.join(', ');
}
