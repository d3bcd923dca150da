// The interactive API documentation page served at / to browsers (placeholder).
export function docsPage(): string {
  return '<!doctype html><title>PeSquel API</title><h1>PeSquel API</h1>';
}
