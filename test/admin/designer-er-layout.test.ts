// The ER diagram's layout (admin-ui/src/er/layout.ts), pure: every table placed without overlap,
// every key of the schema drawn, other schemas' keys left out, and 1,000 chained tables laid out fast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fullLayoutLimit, layoutEr, type ErData, type PlacedNode } from '../../admin-ui/src/er/layout.js';

const table = (i: number, name = `t${i}`) => ({ oid: i, name, kind: 'r', columns: [['id', 'bigint', true], ['x', 'text', false]] as Array<[string, string, boolean]> });
const fk = (source: string, target: string, schema = 'api') => ({ name: `${source}_${target}_fkey`, source, target, targetSchema: schema, columns: ['x'] });

function assertNoOverlap(nodes: readonly PlacedNode[]): void {
  const sorted = [...nodes].sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < a.x + a.width; j++) {
      const b = sorted[j]!;
      assert.ok(b.y >= a.y + a.height || a.y >= b.y + b.height, `${a.node.name} overlaps ${b.node.name}`);
    }
  }
}

function chain(n: number): ErData {
  const nodes = Array.from({ length: n }, (_, i) => table(i + 1));
  const edges = nodes.slice(1).flatMap((t, i) => [fk(t.name, `t${i + 1}`), ...((i + 2) % 10 === 0 ? [fk(t.name, 't1')] : [])]);
  return { schema: 'api', nodes, edges };
}

describe('ER layout (pure)', () => {
  it('places small schemas with dagre: every box, routed keys, other schemas left out', () => {
    const data: ErData = { schema: 'api', nodes: [table(1, 'a'), table(2, 'b'), table(3, 'lone')], edges: [fk('a', 'b'), fk('a', 'users', 'auth')] };
    const l = layoutEr(data);
    assert.equal(l.nodes.length, 3);
    assert.deepEqual(l.edges.map((e) => e.edge.name), ['a_b_fkey']);
    assert.ok(l.edges[0]!.points.length >= 2);
    assertNoOverlap(l.nodes);
    for (const p of l.nodes) assert.ok(p.x >= 0 && p.y >= 0 && p.x + p.width <= l.width && p.y + p.height <= l.height, p.node.name);
  });

  it('lays out 1,000 chained tables in well under a second, without overlaps', () => {
    const data = chain(1000);
    const t0 = performance.now();
    const l = layoutEr(data);
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `${ms} ms`);
    assert.equal(l.nodes.length, 1000);
    assert.equal(l.edges.length, data.edges.length);
    assertNoOverlap(l.nodes);
    assert.ok(l.width < 20 * l.height && l.height < 20 * l.width, `${l.width} × ${l.height}`);
    assert.ok(data.nodes.length > fullLayoutLimit);
  });
});
