// Content negotiation: picks the output media type from Accept, or 406 PGRST107.
import { errors } from '../errors/codes.js';
import type { MediaType } from '../request/types.js';
import type { OutputMedia } from './types.js';

export type Offer = 'json' | 'csv' | 'object' | 'openapi' | 'html';

function match(m: MediaType, offers: readonly Offer[]): OutputMedia | null {
  const stripped = m.params.nulls === 'stripped';
  switch (m.type) {
    case '*/*': case 'application/*': case 'application/json':
      return offers.includes('json') ? { kind: 'json' } : offers.includes('openapi') ? { kind: 'openapi' } : null;
    case 'application/vnd.pgrst.array+json': case 'application/vnd.pgrst.array':
      return offers.includes('json') ? (stripped ? { kind: 'array-stripped' } : { kind: 'json' }) : null;
    case 'application/vnd.pgrst.object+json': case 'application/vnd.pgrst.object':
      return offers.includes('object') ? { kind: 'object', stripNulls: stripped } : null;
    case 'text/csv':
      return offers.includes('csv') ? { kind: 'csv' } : null;
    case 'application/openapi+json':
      return offers.includes('openapi') ? { kind: 'openapi' } : null;
    case 'text/html': case 'text/*':
      return offers.includes('html') ? { kind: 'html' } : null;
    default:
      return null;
  }
}

/** The first Accept entry (by preference) that an offer satisfies. */
export function negotiate(accept: readonly MediaType[], offers: readonly Offer[], acceptHeader: string | undefined): OutputMedia {
  for (const m of accept) {
    const r = match(m, offers);
    if (r) return r;
  }
  throw errors.mediaTypeNotAcceptable(acceptHeader ?? '*/*');
}
