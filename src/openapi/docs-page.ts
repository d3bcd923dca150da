// The interactive API documentation served at / to browsers: one self-contained HTML page (no CDN,
// works offline) that reads the OpenAPI document from the same origin and renders it.
import { createHash } from 'node:crypto';
import { docsScript } from './docs-script.js';
import { docsStyle } from './docs-style.js';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The CSP keeps the page to itself: only this script and this stylesheet (by hash), requests to
 * the same origin only, so nothing rendered from the database (names, comments) can run, load or
 * send anything elsewhere.
 */
const csp = `default-src 'none'; script-src ${sha256(docsScript)}; style-src ${sha256(docsStyle)}; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'`;

export function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>PeSquel API</title>
<style>${docsStyle}</style>
</head>
<body>
<header>
  <h1 id="title">PeSquel API</h1><span class="meta" id="meta">loading…</span>
  <label>Bearer token <input id="token" placeholder="JWT for the Authorization header" autocomplete="off"></label>
</header>
<div class="layout">
  <nav id="nav" aria-label="Endpoints"></nav>
  <main id="app"></main>
</div>
<noscript><p class="error">This page needs JavaScript. The API description itself is at <code>GET /</code> with <code>Accept: application/openapi+json</code>.</p></noscript>
<script>${docsScript}</script>
</body>
</html>
`;
}
