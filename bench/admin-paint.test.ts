// Self-check of the admin UI first-paint measurement (not a timed test): one cold load produces a
// first-contentful-paint figure, and every page is measured on the 1,000-table fixture, the
// designer and the ER diagram (laid out) included. Needs Debian's chromium and the built admin-ui.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminPaintAvailable, measureAdminFirstPaint, paintMarkdown } from './admin-paint.js';

describe('bench: admin UI first paint', () => {
  it('measures a cold load, then every page on 1,000 tables', { skip: adminPaintAvailable() ? false : 'chromium or admin-ui/dist missing' }, async (t) => {
    const r = await measureAdminFirstPaint(1);
    assert.equal(r.firstContentfulPaintMs.length, 1);
    assert.ok(Number.isFinite(r.medianFcpMs) && r.medianFcpMs > 0, String(r.medianFcpMs));
    const pages = r.pages ?? [];
    for (const p of ['#/browse', '#/sql', '#/security', '#/activity', '#/designer', '#/er', '#/designer/api/table_0500']) {
      assert.ok(pages.some((x) => x.page === p), `${p} measured`);
    }
    assert.ok(pages.some((x) => x.page.startsWith('#/browse/rel/')));
    for (const p of pages) assert.ok(Number.isFinite(p.fcpMs) && p.readyMs >= p.fcpMs * 0.5, `${p.page}: ${p.fcpMs} / ${p.readyMs}`);
    assert.ok(Number.isFinite(pages.find((x) => x.page === '#/er')?.diagramMs ?? NaN));
    t.diagnostic(paintMarkdown(r));
  });
});
