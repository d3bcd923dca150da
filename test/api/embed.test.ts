// Resource embedding over HTTP on every backend: each relationship kind of test/fixtures/embed.sql,
// hints and PGRST200/201, embedded filters/order/limit, !inner, null filtering, empty embeds,
// spreads, related order, counts. (Aggregates are off here: PGRST123; aggregate.test.ts has them.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgrestClient } from '@supabase/postgrest-js';
import type { Db, RequestTx } from '../../src/db/types.js';
import { render } from '../../src/sql/sql.js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

/** Counts what reaches the database while `fn` runs: transactions, their statements, other queries. */
async function observe(db: Db, fn: () => Promise<void>): Promise<{ requests: RequestTx[]; other: number }> {
  const seen = { requests: [] as RequestTx[], other: 0 };
  const original = { request: db.request, query: db.query, withConnection: db.withConnection };
  Object.assign(db, {
    request: (tx: RequestTx) => { seen.requests.push(tx); return original.request.call(db, tx); },
    query: (...args: Parameters<Db['query']>) => { seen.other++; return original.query.apply(db, args); },
    withConnection: (...args: Parameters<Db['withConnection']>) => { seen.other++; return original.withConnection.apply(db, args); },
  });
  try {
    await fn();
  } finally {
    Object.assign(db, original);
  }
  return seen;
}

for (const kind of backendKinds()) {
  describe(`embedding (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['embed.sql'] }); });
    after(async () => { await api?.close(); });

    const get = async (path: string, init?: RequestInit) => {
      const r = await api.fetch(path, init);
      const text = await r.text();
      return { status: r.status, headers: r.headers, body: text === '' ? null : JSON.parse(text) as unknown };
    };
    const ok = async (path: string, expected: unknown) => {
      const r = await get(path);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, expected);
    };

    describe('relationships', () => {
      it('many-to-one gives an object, or null', () =>
        ok('/films?select=title,directors(last_name)&id=in.(1,7)&order=id', [
          { title: 'Jaws', directors: { last_name: 'Spielberg' } },
          { title: 'Orphan', directors: null },
        ]));
      it('one-to-many gives an array, [] when empty', () =>
        ok('/directors?select=last_name,films(title)&id=in.(2,4)&order=id&films.order=id', [
          { last_name: 'Kubrick', films: [{ title: '2001' }, { title: 'The Shining' }] },
          { last_name: 'Filmless', films: [] },
        ]));
      it('one-to-one when the FK is the primary key, both ways', async () => {
        await ok('/films?select=title,technical_specs(runtime)&id=in.(1,2)&order=id', [
          { title: 'Jaws', technical_specs: { runtime: 124 } },
          { title: 'Jaws 2', technical_specs: null },
        ]);
        await ok('/technical_specs?select=camera,films(title)&order=film_id', [
          { camera: 'Panavision', films: { title: 'Jaws' } },
          { camera: 'Super Panavision 70', films: { title: '2001' } },
        ]);
      });
      it('one-to-one when the FK is UNIQUE', () =>
        ok('/films?select=title,posters(url)&id=in.(6,7)&order=id', [
          { title: 'Lady Bird', posters: { url: 'ladybird.png' } },
          { title: 'Orphan', posters: null },
        ]));
      it('many-to-many through a junction, both ways', async () => {
        await ok('/films?select=title,actors(name)&id=eq.5&actors.order=name', [
          { title: 'The Shining', actors: [{ name: 'Jack Nicholson' }, { name: 'Shelley Duvall' }] },
        ]);
        await ok('/actors?select=name,films(title)&id=in.(1,5)&order=id&films.order=id', [
          { name: 'Roy Scheider', films: [{ title: 'Jaws' }, { title: 'Jaws 2' }] },
          { name: 'Extra', films: [] },
        ]);
      });
      it('the junction itself embeds both sides', () =>
        ok('/roles?select=character,films(title),actors(name)&film_id=eq.6', [
          { character: 'Christine', films: { title: 'Lady Bird' }, actors: { name: 'Saoirse Ronan' } },
        ]));
      it('keys: the columns in select order, then the embeds (as PostgREST)', async () => {
        const r = await api.fetch('/films?select=directors(last_name),title,...technical_specs(runtime),id&id=eq.1');
        assert.equal(await r.text(), '[{"title":"Jaws","id":1,"directors":{"last_name":"Spielberg"},"runtime":124}]');
      });
      it('nested embedding', () =>
        ok('/actors?select=name,films(title,directors(last_name,films(id)))&id=eq.4', [
          { name: 'Saoirse Ronan', films: [{ title: 'Lady Bird', directors: { last_name: 'Gerwig', films: [{ id: 6 }] } }] },
        ]));
    });

    describe('views', () => {
      it('a view over a table, with a renamed FK column', async () => {
        await ok('/films_view?select=title,directors(last_name)&id=eq.1', [{ title: 'Jaws', directors: { last_name: 'Spielberg' } }]);
        await ok('/directors?select=last_name,films_view(title,dir)&id=eq.3', [{ last_name: 'Gerwig', films_view: [{ title: 'Lady Bird', dir: 3 }] }]);
      });
      it('a view of a view, to another view', async () => {
        await ok('/films_view_nested?select=title,cast_size,directors_view(last_name)&film_id=eq.4', [
          { title: '2001', cast_size: 0, directors_view: { last_name: 'Kubrick' } },
        ]);
        await ok('/directors_view?select=last_name,films_view_nested(title)&id=eq.2&films_view_nested.order=film_id', [
          { last_name: 'Kubrick', films_view_nested: [{ title: '2001' }, { title: 'The Shining' }] },
        ]);
      });
      it('many-to-many from a view through the base junction', () =>
        ok('/films_view_nested?select=title,actors(name)&film_id=eq.6', [{ title: 'Lady Bird', actors: [{ name: 'Saoirse Ronan' }] }]));
      it('a view column renamed after creation', () =>
        ok('/renamed_films?select=id,directed_by,directors(last_name)&id=eq.6', [{ id: 6, directed_by: 3, directors: { last_name: 'Gerwig' } }]));
      it('a view of a private table', async () => {
        await ok('/films?select=title,reviews(stars)&id=eq.1&reviews.order=stars', [{ title: 'Jaws', reviews: [{ stars: 4 }, { stars: 5 }] }]);
        await ok('/reviews?select=stars,films(title)&order=id&limit=1', [{ stars: 5, films: { title: 'Jaws' } }]);
      });
    });

    describe('computed relationships', () => {
      it('ROWS 1 is to-one, SETOF is to-many', () =>
        ok('/directors?select=last_name,latest_film(title),classics(title)&id=in.(1,3)&order=id&classics.order=id', [
          { last_name: 'Spielberg', latest_film: { title: 'E.T.' }, classics: [{ title: 'Jaws' }, { title: 'Jaws 2' }] },
          { last_name: 'Gerwig', latest_film: { title: 'Lady Bird' }, classics: [] },
        ]));
      it('a function named like a related table overrides the FK relationship', () =>
        ok('/films?select=title,awards(name)&id=in.(1,6)&order=id', [
          { title: 'Jaws', awards: [] },
          { title: 'Lady Bird', awards: [{ name: 'Golden Globe' }] },
        ]));
      it('filters apply to computed relationships', () =>
        ok('/directors?select=last_name,classics!inner(title)&classics.title=eq.Jaws 2', [
          { last_name: 'Spielberg', classics: [{ title: 'Jaws 2' }] },
        ]));
    });

    describe('self-references and disambiguation', () => {
      it('embeds the parent by FK column and the children by table!column', async () => {
        await ok('/family_tree?select=name,parent(name)&id=in.(1,4)&order=id', [
          { name: 'Grandpa', parent: null },
          { name: 'Kid', parent: { name: 'Dad' } },
        ]);
        await ok('/family_tree?select=name,children:family_tree!parent(name)&id=eq.1&children.order=id', [
          { name: 'Grandpa', children: [{ name: 'Dad' }, { name: 'Aunt' }] },
        ]);
      });
      it('two self FKs: by column, and inverse by hint', async () => {
        await ok('/organizations?select=name,referee(name),auditor(name)&id=eq.3', [
          { name: 'Child2', referee: { name: 'Root' }, auditor: { name: 'Child1' } },
        ]);
        await ok('/organizations?select=name,refereeds:organizations!referee(name),auditees:organizations!auditor(name)&id=eq.1&refereeds.order=id', [
          { name: 'Root', refereeds: [{ name: 'Child1' }, { name: 'Child2' }], auditees: [] },
        ]);
      });
      it('the same table twice under aliases, hinted by column and by FK name', () =>
        ok('/orders?select=id,billing:addresses!billing_address_id(city),shipping:addresses!orders_shipping_address_id_fkey(city)&id=in.(1,4)&order=id', [
          { id: 1, billing: { city: 'Paris' }, shipping: { city: 'London' } },
          { id: 4, billing: { city: 'Paris' }, shipping: null },
        ]));
      it('embeds by FK name and by FK column', async () => {
        await ok('/films?select=title,films_director_id_fkey(last_name)&id=eq.1', [{ title: 'Jaws', films_director_id_fkey: { last_name: 'Spielberg' } }]);
        await ok('/films?select=title,director_id(last_name)&id=eq.1', [{ title: 'Jaws', director_id: { last_name: 'Spielberg' } }]);
      });
      it('a junction hint picks the many-to-many', () =>
        ok('/teams?select=name,users!admins(name)&order=id', [{ name: 'red', users: [] }, { name: 'blue', users: [{ name: 'ann' }] }]));
      it('ambiguous FKs → 300 PGRST201 with the candidates', async () => {
        const r = await get('/orders?select=id,addresses(city)');
        assert.equal(r.status, 300);
        assert.deepEqual(r.body, {
          code: 'PGRST201',
          details: [
            { cardinality: 'many-to-one', embedding: 'orders with addresses', relationship: 'orders_billing_address_id_fkey using orders(billing_address_id) and addresses(id)' },
            { cardinality: 'many-to-one', embedding: 'orders with addresses', relationship: 'orders_shipping_address_id_fkey using orders(shipping_address_id) and addresses(id)' },
          ],
          hint: "Try changing 'addresses' to one of the following: 'addresses!orders_billing_address_id_fkey', 'addresses!orders_shipping_address_id_fkey'. Find the desired relationship in the 'details' key.",
          message: "Could not embed because more than one relationship was found for 'orders' and 'addresses'",
        });
      });
      it('ambiguous junctions → PGRST201 many-to-many candidates', async () => {
        const r = await get('/teams?select=users(name)');
        assert.equal(r.status, 300);
        const body = r.body as { details: unknown[]; hint: string };
        assert.deepEqual(body.details, [
          { cardinality: 'many-to-many', embedding: 'teams with users', relationship: 'admins using admins_team_id_fkey(team_id) and admins_user_id_fkey(user_id)' },
          { cardinality: 'many-to-many', embedding: 'teams with users', relationship: 'members using members_team_id_fkey(team_id) and members_user_id_fkey(user_id)' },
        ]);
        assert.match(body.hint, /'users!admins', 'users!members'/);
      });
      it('no relationship → 400 PGRST200 with a suggestion', async () => {
        const r = await get('/films?select=title,directorz(*)');
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, {
          code: 'PGRST200',
          details: "Searched for a foreign key relationship between 'films' and 'directorz' in the schema 'api', but no matches were found.",
          hint: "Perhaps you meant 'directors' instead of 'directorz'.",
          message: "Could not find a relationship between 'films' and 'directorz' in the schema cache",
        });
      });
      it('a hint that matches nothing → PGRST200 naming the hint', async () => {
        const r = await get('/films?select=title,directors!nope(*)');
        assert.equal(r.status, 400);
        const body = r.body as Record<string, unknown>;
        assert.equal(body.code, 'PGRST200');
        assert.equal(body.details, "Searched for a foreign key relationship between 'films' and 'directors' using the hint 'nope' in the schema 'api', but no matches were found.");
        assert.equal(body.hint, null);
      });
    });

    describe('embedded filters, order, limit', () => {
      it('filters the embed, not the parent', () =>
        ok('/directors?select=last_name,films(title)&films.year=gt.1980&order=id&limit=2', [
          { last_name: 'Spielberg', films: [{ title: 'E.T.' }] },
          { last_name: 'Kubrick', films: [] },
        ]));
      it('!inner filters the parent too; !left is the default', async () => {
        await ok('/directors?select=last_name,films!inner(title)&films.year=gt.1980&order=id', [
          { last_name: 'Spielberg', films: [{ title: 'E.T.' }] },
          { last_name: 'Gerwig', films: [{ title: 'Lady Bird' }] },
        ]);
        await ok('/films?select=title,directors!left(last_name)&directors.last_name=eq.Gerwig&id=in.(5,6)&order=id', [
          { title: 'The Shining', directors: null },
          { title: 'Lady Bird', directors: { last_name: 'Gerwig' } },
        ]);
        await ok('/films?select=title,technical_specs!inner(camera)&technical_specs.camera=like.*70*', [
          { title: '2001', technical_specs: { camera: 'Super Panavision 70' } },
        ]);
      });
      it('a hint combined with !inner', () =>
        ok('/orders?select=id,ship:addresses!shipping_address_id!inner(city)&ship.city=eq.Paris', [{ id: 3, ship: { city: 'Paris' } }]));
      it('rel.or, rel.order, rel.limit, rel.offset', async () => {
        await ok('/directors?select=last_name,films(title)&films.or=(year.lt.1970,year.gt.2010)&id=in.(2,3)&order=id', [
          { last_name: 'Kubrick', films: [{ title: '2001' }] },
          { last_name: 'Gerwig', films: [{ title: 'Lady Bird' }] },
        ]);
        await ok('/directors?select=last_name,films(title)&films.order=year.desc&films.limit=1&films.offset=1&id=eq.1', [
          { last_name: 'Spielberg', films: [{ title: 'Jaws 2' }] },
        ]);
      });
      it('nested prefixes, by alias or by name', async () => {
        await ok('/directors?select=last_name,films(title,actors(name))&films.actors.name=like.*Jack*&films.order=year.desc&films.limit=1&id=eq.2', [
          { last_name: 'Kubrick', films: [{ title: 'The Shining', actors: [{ name: 'Jack Nicholson' }] }] },
        ]);
        await ok('/directors?select=last_name,f:films(title)&f.order=year.desc&f.limit=1&id=eq.1', [{ last_name: 'Spielberg', f: [{ title: 'E.T.' }] }]);
        await ok('/directors?select=last_name,f:films(title)&films.order=year&films.limit=1&id=eq.1', [{ last_name: 'Spielberg', f: [{ title: 'Jaws' }] }]);
      });
      it('a filter on a relation that is not embedded → 400 PGRST108', async () => {
        for (const path of ['/films?select=title&directors.id=eq.1', '/directors?select=films(title)&films.actors.order=name']) {
          const r = await get(path);
          assert.equal(r.status, 400);
          assert.equal((r.body as Record<string, unknown>).code, 'PGRST108');
        }
        const r = await get('/films?select=title&directors.id=eq.1');
        assert.deepEqual(r.body, {
          code: 'PGRST108', details: null,
          hint: "Verify that 'directors' is included in the 'select' query parameter.",
          message: "'directors' is not an embedded resource in this request",
        });
      });
    });

    describe('null filtering and empty embeds', () => {
      it('rel=is.null is an anti-join, rel=not.is.null works like !inner', async () => {
        await ok('/directors?select=last_name,films()&films=is.null', [{ last_name: 'Filmless' }]);
        await ok('/directors?select=last_name,films(title)&films=not.is.null&films.year=lt.1970', [{ last_name: 'Kubrick', films: [{ title: '2001' }] }]);
        await ok('/films?select=title,directors(id)&directors=is.null', [{ title: 'Orphan', directors: null }]);
      });
      it('null filters inside or=', () =>
        ok('/films?select=title,directors(last_name)&or=(directors.is.null,year.lt.1970)&order=id', [
          { title: '2001', directors: { last_name: 'Kubrick' } },
          { title: 'Orphan', directors: null },
        ]));
      it('an embed whose selected columns are all null still counts as present', () =>
        ok('/films?select=title,directors!inner(first_name)&directors.first_name=is.null', []));
      it('another operator on an embed → 400 PGRST120', async () => {
        const r = await get('/films?select=title,directors(id)&directors=eq.1');
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, {
          code: 'PGRST120',
          details: 'Only is null or not is null filters are allowed on embedded resources',
          hint: null,
          message: "Bad operator on the 'directors' embedded resource",
        });
      });
      it('empty embeds filter without adding keys', () =>
        ok('/films?select=title,directors!inner()&directors.last_name=eq.Kubrick&order=id', [{ title: '2001' }, { title: 'The Shining' }]));
    });

    describe('spread', () => {
      it('to-one lifts the columns into the parent', () =>
        ok('/films?select=title,...directors(first_name,surname:last_name)&id=in.(1,7)&order=id', [
          { title: 'Jaws', first_name: 'Steven', surname: 'Spielberg' },
          { title: 'Orphan', first_name: null, surname: null },
        ]));
      it('to-many gives an array per column, in rel.order', () =>
        ok('/directors?select=last_name,...films(title,year)&id=in.(1,4)&order=id&films.order=year.desc', [
          { last_name: 'Spielberg', title: ['E.T.', 'Jaws 2', 'Jaws'], year: [1982, 1978, 1975] },
          { last_name: 'Filmless', title: [], year: [] },
        ]));
      it('nested spreads and embeds inside a spread', () =>
        ok('/films?select=title,...directors(last_name,...latest_film(year),classics(id))&id=eq.6', [
          { title: 'Lady Bird', last_name: 'Gerwig', year: 2017, classics: [] },
        ]));
      it('a spread with !inner and a filter', () =>
        ok('/films?select=title,...directors!inner(last_name)&directors.last_name=eq.Gerwig', [{ title: 'Lady Bird', last_name: 'Gerwig' }]));
    });

    describe('related order', () => {
      it('orders by a to-one embedded column', async () => {
        await ok('/films?select=title,directors(last_name)&order=directors(last_name).desc.nullslast,title&director_id=not.is.null&limit=3', [
          { title: 'E.T.', directors: { last_name: 'Spielberg' } },
          { title: 'Jaws', directors: { last_name: 'Spielberg' } },
          { title: 'Jaws 2', directors: { last_name: 'Spielberg' } },
        ]);
        await ok('/orders?select=id,ship:addresses!shipping_address_id(city)&order=ship(city).nullsfirst,id', [
          { id: 4, ship: null }, { id: 1, ship: { city: 'London' } }, { id: 2, ship: { city: 'London' } }, { id: 3, ship: { city: 'Paris' } },
        ]);
      });
      it('a to-many related order → 400 PGRST118', async () => {
        const r = await get('/directors?select=last_name,films(title)&order=films(title)');
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, {
          code: 'PGRST118',
          details: "'directors' and 'films' do not form a many-to-one or one-to-one relationship",
          hint: null,
          message: "A related order on 'films' is not possible",
        });
      });
    });

    describe('counts, HEAD, aggregates disabled', () => {
      it('count=exact counts the parents an !inner embed keeps', async () => {
        const r = await get('/directors?select=id,films!inner(id)&films.year=gt.1980&limit=1', { headers: { Prefer: 'count=exact' } });
        assert.equal(r.status, 206);
        assert.equal(r.headers.get('content-range'), '0-0/2');
      });
      it('HEAD with embeds', async () => {
        const r = await api.fetch('/films?select=title,directors(last_name)', { method: 'HEAD' });
        assert.equal(r.status, 200);
      });
      it('aggregates are refused when db-aggregates-enabled is off (PGRST123)', async () => {
        for (const path of ['/orders?select=amount.sum()', '/customers?select=name,orders(count())', '/orders?select=...customers(id.count())']) {
          const r = await get(path);
          assert.equal(r.status, 400);
          assert.deepEqual(r.body, { code: 'PGRST123', details: null, hint: null, message: 'Use of aggregate functions is not allowed' });
        }
      });
    });
    describe('embedding in write representations', () => {
      const write = async (method: string, path: string, body?: unknown) => {
        const r = await api.fetch(path, {
          method, headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: r.status, body: await r.json() as unknown };
      };
      it('POST, PATCH and DELETE return embeds, spreads and computed relationships', async () => {
        assert.deepEqual(await write('POST', '/films?select=title,directors(last_name),awards(name),actors(name)', { id: 100, title: 'New', year: 2020, director_id: 3 }), {
          status: 201, body: [{ title: 'New', directors: { last_name: 'Gerwig' }, awards: [], actors: [] }],
        });
        assert.deepEqual(await write('PATCH', '/films?id=eq.100&select=title,...directors(last_name),prequel:films!prequel_id(id)', { title: 'Renamed', prequel_id: 6 }), {
          status: 200, body: [{ title: 'Renamed', last_name: 'Gerwig', prequel: [] }],
        });
        assert.deepEqual(await write('DELETE', '/films?id=eq.100&select=id,sequels:films(id),prequel_id(title)'), {
          status: 200, body: [{ id: 100, sequels: [], prequel_id: { title: 'Lady Bird' } }],
        });
      });
    });

    describe('one SQL statement per request', () => {
      it('every embed kind is compiled into the main statement (no N+1)', async () => {
        const paths = [
          '/directors?select=last_name,films(title,actors(name),technical_specs(runtime)),latest_film(title)',
          '/films?select=title,...directors(last_name),reviews!inner(stars)&reviews.stars=gt.3',
          '/orders?select=id,billing:addresses!billing_address_id(city),customers(name,orders(id))&order=customers(name)',
          '/teams?select=name,users!members(name,admins:teams!admins(name))',
        ];
        for (const path of paths) {
          const seen = await observe(api.running.db, async () => {
            const r = await api.fetch(path);
            assert.equal(r.status, 200, await r.text());
          });
          assert.equal(seen.requests.length, 1, path);
          assert.equal(seen.other, 0, path);
          const tx = seen.requests[0] as RequestTx;
          assert.deepEqual(tx.before, [], path);
          // Values are parameters, so a `;` in the text would mean a second statement.
          assert.doesNotMatch(render(tx.main).text, /;/, path);
          const rows = await api.sql(`EXPLAIN ${render(tx.main).text}`, render(tx.main).values);
          assert.ok(rows.length > 0);
        }
      });
    });

    describe('embedding on a table-valued function result', () => {
      const rpc = async (path: string) => {
        const r = await api.fetch(path);
        const body = await r.text();
        assert.equal(r.status, 200, body);
        return JSON.parse(body) as unknown;
      };
      it('embeds, filters and spreads on rows returned by a function (GET /rpc)', async () => {
        assert.deepEqual(await rpc('/rpc/films_by_year?y=1980&select=title,directors(last_name),actors(name)&actors.order=name'), [
          { title: 'The Shining', directors: { last_name: 'Kubrick' }, actors: [{ name: 'Jack Nicholson' }, { name: 'Shelley Duvall' }] },
        ]);
        assert.deepEqual(
          await rpc('/rpc/getallfilms?select=title,...directors!inner(last_name),awards(name)&directors.last_name=eq.Gerwig'),
          [{ title: 'Lady Bird', last_name: 'Gerwig', awards: [{ name: 'Golden Globe' }] }],
        );
      });
      it('and on POST /rpc', async () => {
        const r = await api.fetch('/rpc/films_by_year?select=title,directors(last_name)', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"y":1980}',
        });
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), [{ title: 'The Shining', directors: { last_name: 'Kubrick' } }]);
      });
    });

    describe('postgrest-js', () => {
      const client = () => new PostgrestClient(api.url, { retry: false });
      it('nested selects', async () => {
        const { data, error } = await client().from('directors')
          .select('last_name, films(title, actors(name))').eq('id', 2).order('id', { referencedTable: 'films' }).order('name', { referencedTable: 'films.actors' });
        assert.equal(error, null);
        assert.deepEqual(data, [{ last_name: 'Kubrick', films: [{ title: '2001', actors: [] }, { title: 'The Shining', actors: [{ name: 'Jack Nicholson' }, { name: 'Shelley Duvall' }] }] }]);
      });
      it('!inner with a filter on the embedded table', async () => {
        const { data, error } = await client().from('films').select('title, directors!inner(last_name)').eq('directors.last_name', 'Kubrick').order('id');
        assert.equal(error, null);
        assert.deepEqual(data, [{ title: '2001', directors: { last_name: 'Kubrick' } }, { title: 'The Shining', directors: { last_name: 'Kubrick' } }]);
      });
      it('referencedTable limit and an ambiguous embed error', async () => {
        const { data } = await client().from('directors').select('id, films(id)').eq('id', 1).order('year', { referencedTable: 'films', ascending: false }).limit(1, { referencedTable: 'films' });
        assert.deepEqual(data, [{ id: 1, films: [{ id: 3 }] }]);
        const { error, status } = await client().from('orders').select('id, addresses(city)');
        assert.equal(status, 300);
        assert.equal(error?.code, 'PGRST201');
      });
    });
  });
}
