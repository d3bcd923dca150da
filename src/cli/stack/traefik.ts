// Traefik's static and dynamic configuration as data, one pure function each, for the three ways the
// stack serves its host names: plain HTTP, HTTPS from Let's Encrypt (ACME), HTTPS from a local CA.
// Plain HTTP is also shipped as deploy/traefik/*.yml (usable without the CLI); a test keeps them equal.
import type { TlsSettings } from './tls.js';

export const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';
export const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';
/**
 * acme.json keeps account and certificates per resolver name: staging gets its own, so dropping
 * --acme-staging starts clean instead of serving untrusted staging certificates.
 */
export function resolverName(tls: TlsSettings): string {
  return tls.mode === 'acme' && tls.staging ? 'letsencrypt-staging' : 'letsencrypt';
}
/** In the external `pesquel-certificates` volume (deploy/traefik/docker-compose.acme.yml); Traefik creates it 0600. */
export const ACME_STORAGE = '/certificates/acme.json';
/** Where deploy/traefik/docker-compose.self-signed.yml mounts the leaf certificate and its key. */
export const SERVER_CERT = '/etc/traefik/certificates/server.crt';
export const SERVER_KEY = '/etc/traefik/certificates/server.key';
/** One year: long enough for browsers to remember, and what HSTS checkers ask for. */
export const HSTS_SECONDS = 31_536_000;

/** `apiInstances`: PeSquel containers to balance (`setup --api-instances`, default 1). */
export type TraefikOptions = { readonly domain: string; readonly tls: TlsSettings; readonly httpsPort: number; readonly apiInstances?: number };
type Json = Record<string, unknown>;

/** traefik.yml: entry points (with the HTTP → HTTPS redirect), the file provider, ACME when asked. */
export function traefikStatic(o: TraefikOptions): Json {
  const https = o.tls.mode !== 'off';
  // A redirect to the entry point name would send browsers to :443 even when the host port differs.
  const to = o.httpsPort === 443 ? 'websecure' : `:${o.httpsPort}`;
  const entryPoints: Json = https
    ? {
        web: { address: ':80', http: { redirections: { entryPoint: { to, scheme: 'https', permanent: true } } } },
        websecure: { address: ':443' },
      }
    : { web: { address: ':80' } };
  return {
    entryPoints,
    providers: { file: { directory: '/etc/traefik/dynamic', watch: true } },
    ...(o.tls.mode === 'acme' ? { certificatesResolvers: { [resolverName(o.tls)]: { acme: acmeResolver(o.tls) } } } : {}),
    api: { dashboard: true, insecure: false },
    ping: {},
    log: { level: 'INFO' },
    accessLog: {},
    global: { checkNewVersion: false, sendAnonymousUsage: false },
  };
}

function acmeResolver(t: Extract<TlsSettings, { mode: 'acme' }>): Json {
  return {
    email: t.email,
    storage: ACME_STORAGE,
    caServer: t.staging ? LETS_ENCRYPT_STAGING : LETS_ENCRYPT,
    // HTTP-01 answers on :80 (which must be reachable from the internet); TLS-ALPN-01 on :443 only.
    ...(t.challenge === 'http' ? { httpChallenge: { entryPoint: 'web' } } : { tlsChallenge: {} }),
  };
}

const ROUTES: ReadonlyArray<readonly [sub: string, service: string]> = [
  ['api', 'pesquel-api'],
  ['admin', 'pesquel-admin'],
  ['pgadmin', 'pgadmin'],
  ['traefik', 'api@internal'],
];

/** The routers' host names, services, middlewares and (for the local CA) the certificate to serve. */
export function traefikDynamic(o: TraefikOptions): Json {
  const https = o.tls.mode !== 'off';
  const tls = o.tls.mode === 'acme' ? { certResolver: resolverName(o.tls) } : {};
  const routers: Json = {};
  for (const [sub, service] of ROUTES) {
    const middlewares = [...(sub === 'traefik' ? ['dashboard-auth'] : []), ...(o.tls.mode === 'acme' ? ['hsts'] : [])];
    routers[sub === 'traefik' ? 'dashboard' : sub] = {
      rule: `Host(\`${sub}.${o.domain}\`)`,
      entryPoints: [https ? 'websecure' : 'web'],
      service,
      ...(middlewares.length > 0 ? { middlewares } : {}),
      ...(https ? { tls } : {}),
    };
  }
  const middlewares: Json = {
    'dashboard-auth': { basicAuth: { usersFile: '/run/secrets/traefik_users', realm: 'PeSquel Traefik' } },
    // Only with publicly trusted certificates: HSTS pins a browser to HTTPS for a year, which a
    // local CA (or a later switch back to plain HTTP) must not do to a development domain.
    ...(o.tls.mode === 'acme' ? { hsts: { headers: { stsSeconds: HSTS_SECONDS, stsIncludeSubdomains: true, stsPreload: false } } } : {}),
  };
  const services: Json = {
    'pesquel-api': { loadBalancer: pesquelBalancer(o, 3000) },
    'pesquel-admin': { loadBalancer: pesquelBalancer(o, 3002) },
    pgadmin: { loadBalancer: { servers: [{ url: 'http://pgadmin:80' }] } },
  };
  const certificates = { certFile: SERVER_CERT, keyFile: SERVER_KEY };
  return {
    http: { routers, middlewares, services },
    ...(o.tls.mode === 'self-signed'
      ? { tls: { certificates: [certificates], stores: { default: { defaultCertificate: certificates } } } }
      : {}),
  };
}

/** Every container's health endpoint (admin port 3001): Traefik stops sending to one that is not ready. */
export const PESQUEL_HEALTH_CHECK = { path: '/ready', port: 3001, interval: '5s', timeout: '3s' } as const;

/**
 * One server per PeSquel container: `pesquel` for one, `pesquel-pesquel-<i>` (Compose v2's container
 * names, resolved by Docker's DNS) for several. Round robin, no stickiness for the API, which is
 * stateless; the admin UI keeps its sign-in in one container's memory, so it sticks by a cookie.
 */
export function pesquelBalancer(o: TraefikOptions, port: number): Json {
  const n = o.apiInstances ?? 1;
  const hosts = n === 1 ? ['pesquel'] : Array.from({ length: n }, (_, i) => `pesquel-pesquel-${i + 1}`);
  const sticky = port === 3002 && n > 1
    ? { sticky: { cookie: { name: 'pesquel_admin_instance', httpOnly: true, secure: o.tls.mode !== 'off', sameSite: 'strict' } } }
    : {};
  return { servers: hosts.map((h) => ({ url: `http://${h}:${port}` })), healthCheck: { ...PESQUEL_HEALTH_CHECK }, ...sticky };
}
