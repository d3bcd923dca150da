// Self-check of the admin UI first-paint measurement (not a timed test): one cold load produces a
// first-contentful-paint figure. Needs Debian's chromium and the built admin-ui (CI has both).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminPaintAvailable, measureAdminFirstPaint } from './admin-paint.js';

describe('bench: admin UI first paint', () => {
  it('measures first contentful paint of a cold load', { skip: adminPaintAvailable() ? false : 'chromium or admin-ui/dist missing' }, async () => {
    const r = await measureAdminFirstPaint(1);
    assert.equal(r.firstContentfulPaintMs.length, 1);
    assert.ok(Number.isFinite(r.medianFcpMs) && r.medianFcpMs > 0, String(r.medianFcpMs));
  });
});
