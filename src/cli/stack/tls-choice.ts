// The HTTPS mode of a later setup: the --tls / --acme-* flags over the recorded mode. Let's Encrypt's
// settings are kept field by field (another --acme-email keeps the challenge); --no-acme-staging leaves staging.
import { CliError } from '../cli-error.js';
import { tlsSettings } from './tls.js';
import type { TlsFlags, TlsSettings } from './tls.js';

export type TlsChoiceFlags = TlsFlags & { 'no-acme-staging'?: boolean | undefined };
export type TlsChoice = { settings: TlsSettings; remembered: string[] };

/**
 * Example: recorded acme { email: 'ops@example.com', staging: true, challenge: 'tls-alpn' } and
 * `--no-acme-staging` → acme { email: 'ops@example.com', staging: false, challenge: 'tls-alpn' },
 * remembered ['--acme-email ops@example.com', '--acme-challenge tls-alpn'].
 */
export function chooseTls(f: TlsChoiceFlags, recorded: TlsSettings, domain: string): TlsChoice {
  if (f['acme-staging'] === true && f['no-acme-staging'] === true) throw new CliError('--acme-staging cannot go with --no-acme-staging.', 2);
  const staging = f['no-acme-staging'] === true ? false : f['acme-staging'];
  const mode = f.tls ?? (f['acme-email'] !== undefined ? 'acme' : undefined);
  if (recorded.mode !== 'acme' || (mode !== undefined && mode !== 'acme')) {
    const settings = tlsSettings({ ...f, 'acme-staging': staging, tls: mode ?? recorded.mode }, domain);
    return { settings, remembered: mode === undefined && recorded.mode !== 'off' ? [`--tls ${recorded.mode}`] : [] };
  }
  const remembered = [
    ...(f['acme-email'] === undefined ? [`--acme-email ${recorded.email}`] : []),
    ...(staging === undefined && recorded.staging ? ['--acme-staging'] : []),
    ...(f['acme-challenge'] === undefined && recorded.challenge !== 'http' ? [`--acme-challenge ${recorded.challenge}`] : []),
  ];
  const flags: TlsFlags = {
    tls: 'acme',
    'acme-email': f['acme-email'] ?? recorded.email,
    'acme-staging': staging ?? recorded.staging,
    'acme-challenge': f['acme-challenge'] ?? recorded.challenge,
  };
  try {
    return { settings: tlsSettings(flags, domain), remembered };
  } catch (err) {
    if (mode !== undefined || !(err instanceof CliError)) throw err;
    throw new CliError(`${err.message} (Let's Encrypt is the choice recorded by the last setup: --tls off or --tls self-signed changes it.)`, err.exitCode);
  }
}

/** For the lines setup prints: `HTTPS from Let's Encrypt`, `… Let's Encrypt's staging CA`, `HTTPS from the local CA`, `plain HTTP`. */
export function describeTls(t: TlsSettings): string {
  if (t.mode === 'off') return 'plain HTTP';
  if (t.mode === 'self-signed') return 'HTTPS from the local CA';
  return `HTTPS from Let's Encrypt${t.staging ? "'s staging CA" : ''}`;
}
