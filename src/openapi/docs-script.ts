// The browser script of the API documentation page: loads the OpenAPI document from the same
// origin and renders tags, operations, parameters, schemas and a "try it" form.
// Everything from the document enters the page through textContent, never as HTML: table
// names and COMMENTs are database content.
export const docsScript = String.raw`
'use strict';
var doc = null;
var tokenKey = 'pesquel-docs-token';
// The API's root as this page was reached: '' at /, '/api' behind a proxy that serves it under /api/.
// Every request is made from here, so the page works under any path prefix.
var base = location.pathname.replace(/\/+$/, '');
function apiUrl(path) { return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : base + (path.charAt(0) === '/' ? '' : '/') + path; }

function h(tag, attrs) {
  var el = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') el.textContent = attrs[k];
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), attrs[k]);
    else el.setAttribute(k, attrs[k]);
  });
  for (var i = 2; i < arguments.length; i++) {
    var c = arguments[i];
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

// Descriptions use Markdown's inline code; render just that, as text nodes.
function rich(tag, cls, text) {
  var el = h(tag, cls ? { class: cls } : {});
  String(text || '').replace(/<pk\/>/g, '').split('\u0060').forEach(function (part, i) {
    el.appendChild(i % 2 ? h('code', { text: part }) : document.createTextNode(part));
  });
  return el;
}

function resolve(obj) {
  if (!obj || !obj.$ref) return obj;
  var parts = obj.$ref.replace(/^#\//, '').split('/');
  var cur = doc;
  parts.forEach(function (p) { cur = cur && cur[p.replace(/~1/g, '/').replace(/~0/g, '~')]; });
  return cur || {};
}

function refName(obj) { return obj && obj.$ref ? obj.$ref.split('/').pop() : null; }

function typeText(s) {
  if (!s) return '';
  if (s.$ref) return refName(s);
  if (s.oneOf) return s.oneOf.map(typeText).join(' | ');
  if (s.type === 'array') return typeText(s.items) + '[]';
  var t = s.type || 'any';
  if (s.format) t += ' (' + s.format + ')';
  if (s.enum) t += ' ' + JSON.stringify(s.enum);
  return t;
}

function example(s, depth) {
  s = resolve(s) || {};
  if ((depth || 0) > 3) return null;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.oneOf) return example(s.oneOf[0], depth);
  if (s.type === 'array') return [example(s.items, (depth || 0) + 1)];
  if (s.type === 'object') {
    // A row to send: required columns with sample values, nullable ones as null; columns that
    // are neither have a server-side default and are left out.
    var o = {};
    var required = s.required || [];
    Object.keys(s.properties || {}).forEach(function (k) {
      var p = resolve(s.properties[k]);
      if (p.readOnly) return;
      if (required.indexOf(k) >= 0 || !s.required) o[k] = example(p, (depth || 0) + 1);
      else if (p.nullable) o[k] = null;
    });
    return o;
  }
  var samples = { integer: 0, number: 0, boolean: false };
  if (samples[s.type] !== undefined) return samples[s.type];
  if (s.format === 'date-time') return new Date(0).toISOString();
  if (s.format === 'date') return '1970-01-01';
  if (s.format === 'uuid') return '00000000-0000-0000-0000-000000000000';
  return s.type === 'string' ? '' : null;
}

function propertiesTable(s) {
  s = resolve(s);
  if (s && s.oneOf) s = resolve(s.oneOf[0]);
  if (!s || !s.properties) return h('p', { class: 'type', text: typeText(s) });
  var req = s.required || [];
  return h('table', {}, h('tr', {}, h('th', { text: 'Name' }), h('th', { text: 'Type' }), h('th', { text: 'Description' })),
    Object.keys(s.properties).map(function (k) {
      var p = s.properties[k];
      return h('tr', {}, h('td', {}, h('code', { text: k }), req.indexOf(k) >= 0 ? h('span', { class: 'req', text: 'required' }) : null),
        h('td', {}, h('span', { class: 'type', text: typeText(p) + (p.nullable ? ', nullable' : '') + (p.readOnly ? ', read-only' : '') })),
        rich('td', 'desc', [p.description, p.default !== undefined ? 'default ' + JSON.stringify(p.default) : null,
          p.maxLength ? 'max length ' + p.maxLength : null, p['x-pg-type'] ? 'PostgreSQL: ' + p['x-pg-type'] : null].filter(Boolean).join('\n')));
    }).reduce(function (frag, row) { frag.appendChild(row); return frag; }, document.createDocumentFragment()));
}

function parametersTable(params) {
  if (!params.length) return null;
  var t = h('table', {}, h('tr', {}, h('th', { text: 'Parameter' }), h('th', { text: 'In' }), h('th', { text: 'Description' })));
  params.forEach(function (p) {
    t.appendChild(h('tr', {}, h('td', {}, h('code', { text: p.name }), p.required ? h('span', { class: 'req', text: 'required' }) : null),
      h('td', { text: p.in }), rich('td', 'desc', p.description)));
  });
  return t;
}

function tryForm(method, path, op, params) {
  var needsBody = method === 'post' || method === 'patch';
  var headers = ['Accept: application/json'];
  params.forEach(function (p) {
    if (p.in === 'header' && (p.required || p.name === 'Prefer')) headers.push(p.name + ': ' + (p.schema && p.schema.default || p.example || ''));
  });
  if (needsBody) headers.push('Content-Type: application/json');
  var token = localStorage.getItem(tokenKey);
  if (token) headers.push('Authorization: Bearer ' + token);
  var required = params.filter(function (p) { return p.in === 'query' && p.required; })
    .map(function (p) { return encodeURIComponent(p.name) + '='; });
  var verb = h('select', {}, ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'].map(function (m) {
    var o = h('option', { text: m }); if (m === method.toUpperCase()) o.selected = true; return o;
  }).reduce(function (f, o) { f.appendChild(o); return f; }, document.createDocumentFragment()));
  var url = h('input', { value: path + (required.length ? '?' + required.join('&') : ''), 'aria-label': 'Path and query' });
  var hdrs = h('textarea', { rows: String(headers.length + 1), 'aria-label': 'Headers' });
  hdrs.value = headers.join('\n');
  var body = h('textarea', { rows: '6', 'aria-label': 'Body' });
  var content = op.requestBody && op.requestBody.content || {};
  var json = content['application/json'];
  // A body's own example (a nested insert for relations with relationships) before a generated row.
  body.value = json ? JSON.stringify(json.example !== undefined ? json.example : example(json.schema), null, 2) : '';
  var out = h('div', { class: 'result' });
  var send = h('button', { type: 'button', text: 'Send', onclick: function () { run(verb.value, url.value, hdrs.value, body.value, out); } });
  var bodyLabel = h('label', { text: 'Body' });
  // GET and HEAD send no body: hide the field rather than silently drop what was typed.
  var showBody = function () {
    var on = verb.value !== 'GET' && verb.value !== 'HEAD';
    bodyLabel.style.display = body.style.display = on ? '' : 'none';
  };
  verb.addEventListener('change', showBody);
  showBody();
  return h('div', { class: 'try' }, h('div', { class: 'row' }, verb, url, send),
    h('label', { text: 'Headers (one "Name: value" per line)' }), hdrs,
    bodyLabel, body, out);
}

function run(method, url, headerText, body, out) {
  var headers = {};
  headerText.split('\n').forEach(function (line) {
    var i = line.indexOf(':');
    if (i > 0 && line.slice(i + 1).trim() !== '') headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  });
  var init = { method: method, headers: headers };
  if (method !== 'GET' && method !== 'HEAD' && body.trim() !== '') init.body = body;
  out.textContent = 'Sending…';
  var started = performance.now();
  fetch(apiUrl(url), init).then(function (r) {
    return r.text().then(function (text) {
      var pretty = text;
      try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON: show as sent */ }
      var lines = [];
      r.headers.forEach(function (v, k) { lines.push(k + ': ' + v); });
      out.textContent = '';
      out.appendChild(h('div', { class: 'status ' + (r.ok ? 'ok' : 'err'), text: r.status + ' ' + r.statusText + ' · ' + Math.round(performance.now() - started) + ' ms' }));
      out.appendChild(h('pre', { text: lines.join('\n') }));
      out.appendChild(h('pre', { text: pretty || '(empty body)' }));
    });
  }).catch(function (e) { out.textContent = 'Request failed: ' + e.message; });
}

function operation(path, method, op) {
  var params = (op.parameters || []).map(resolve);
  var details = h('details', { class: 'op', id: op.operationId || '' });
  var filled = false;
  details.appendChild(h('summary', {}, h('span', { class: 'method m-' + method, text: method }), h('span', { class: 'path', text: path }), h('span', { class: 'summary', text: op.summary || '' })));
  details.addEventListener('toggle', function () {
    if (!details.open || filled) return;
    filled = true;
    var b = h('div', { class: 'body' });
    if (op.description) b.appendChild(rich('p', 'desc', op.description));
    var pt = parametersTable(params);
    if (pt) b.appendChild(h('h3', { text: 'Parameters' })), b.appendChild(pt);
    var content = op.requestBody && op.requestBody.content;
    if (content) {
      var first = Object.keys(content)[0];
      b.appendChild(h('h3', { text: 'Request body (' + Object.keys(content).join(', ') + ')' }));
      b.appendChild(propertiesTable(content[first].schema));
      if (content[first].example !== undefined) {
        b.appendChild(h('h3', { text: 'Example (related rows are created too: a nested insert)' }));
        b.appendChild(h('pre', { text: JSON.stringify(content[first].example, null, 2) }));
      }
    }
    b.appendChild(h('h3', { text: 'Responses' }));
    var rt = h('table', {});
    Object.keys(op.responses || {}).forEach(function (code) {
      var r = resolve(op.responses[code]);
      var c = r.content && (r.content['application/json'] || r.content[Object.keys(r.content)[0]]);
      rt.appendChild(h('tr', {}, h('td', {}, h('code', { text: code })), rich('td', '', r.description), h('td', { class: 'type', text: c ? typeText(c.schema) : '' })));
    });
    b.appendChild(rt);
    b.appendChild(h('h3', { text: 'Try it' }));
    b.appendChild(tryForm(method, path, op, params));
    details.appendChild(b);
  });
  return details;
}

function render() {
  var app = document.getElementById('app');
  var nav = document.getElementById('nav');
  document.getElementById('title').textContent = doc.info.title;
  document.getElementById('meta').textContent = 'v' + doc.info.version + ' · schema ' + (doc['x-pesquel-schema'] || '') + ' · OpenAPI ' + doc.openapi;
  document.title = doc.info.title;
  var groups = {};
  Object.keys(doc.paths).forEach(function (path) {
    Object.keys(doc.paths[path]).forEach(function (m) {
      var op = doc.paths[path][m];
      var tag = (op.tags && op.tags[0]) || 'other';
      (groups[tag] = groups[tag] || []).push(operation(path, m, op));
    });
  });
  var described = {};
  (doc.tags || []).forEach(function (t) { described[t.name] = t.description; });
  var search = h('input', { class: 'search', placeholder: 'Filter endpoints…', 'aria-label': 'Filter endpoints' });
  nav.appendChild(search);
  nav.appendChild(h('h2', { text: 'Endpoints' }));
  app.appendChild(rich('p', 'intro', doc.info.description));
  Object.keys(groups).forEach(function (tag, i) {
    var id = 'tag-' + i;
    var link = h('a', { href: '#' + id, text: tag });
    nav.appendChild(link);
    var sec = h('section', { class: 'tag', id: id }, h('h2', { text: tag }), described[tag] ? h('p', { text: described[tag] }) : null);
    groups[tag].forEach(function (el) { sec.appendChild(el); });
    sec.dataset.name = tag.toLowerCase();
    link.dataset.name = tag.toLowerCase();
    app.appendChild(sec);
  });
  var schemas = (doc.components && doc.components.schemas) || {};
  nav.appendChild(h('h2', { text: 'Schemas' }));
  var ss = h('section', { class: 'tag', id: 'schemas' }, h('h2', { text: 'Schemas' }));
  Object.keys(schemas).forEach(function (name, i) {
    nav.appendChild(h('a', { href: '#schema-' + i, text: name }));
    var d = h('details', { class: 'op', id: 'schema-' + i }, h('summary', {}, h('span', { class: 'path', text: name }), h('span', { class: 'summary', text: (schemas[name].description || '').split('\n')[0] })));
    d.appendChild(h('div', { class: 'body' }, propertiesTable(schemas[name])));
    ss.appendChild(d);
  });
  app.appendChild(ss);
  search.addEventListener('input', function () {
    var q = search.value.toLowerCase();
    document.querySelectorAll('[data-name]').forEach(function (el) { el.style.display = el.dataset.name.indexOf(q) >= 0 ? '' : 'none'; });
  });
}

// Deep links: /#get_todos opens that operation.
function openHash() {
  var el = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (el && el.tagName === 'DETAILS') { el.open = true; el.scrollIntoView(); }
}
window.addEventListener('hashchange', openHash);

var tokenInput = document.getElementById('token');
tokenInput.value = localStorage.getItem(tokenKey) || '';
tokenInput.addEventListener('change', function () { localStorage.setItem(tokenKey, tokenInput.value.trim()); });

fetch(apiUrl('/'), { headers: { Accept: 'application/openapi+json' } })
  .then(function (r) { return r.json().then(function (body) { if (!r.ok) throw new Error(body.message || r.statusText); return body; }); })
  .then(function (d) { doc = d; render(); openHash(); })
  .catch(function (e) { document.getElementById('app').appendChild(h('p', { class: 'error', text: 'Could not load the API description: ' + e.message })); });
`;
