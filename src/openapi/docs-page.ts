// The interactive API documentation served at / to browsers: one self-contained HTML page (no CDN,
// works offline) that reads the OpenAPI document from the same origin and renders it.
import { docsScript } from './docs-script.js';
import { docsStyle } from './docs-style.js';

/**
 * The CSP keeps the page to itself: inline script and style only, requests to the same origin only,
 * so nothing rendered from the database (names, comments) can load or send anything elsewhere.
 */
const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

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
