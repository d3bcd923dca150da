// `pesquel setup`: generates the secrets, then creates or updates the Docker Compose stack
// (PostgreSQL 17, pgBouncer, PeSquel, Traefik, optional pgAdmin) and waits until it is healthy.
// Idempotent: a second run keeps data, secrets and the recorded choices (secrets/setup.json), and only
// converges what differs.
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError } from '../cli-error.js';
import { composeCapture, composeStep, ensureNetwork, NETWORK, stackVariables } from '../stack/compose.js';
import type { Stack, StackSettings } from '../stack/compose.js';
import { servicesToRestart } from '../stack/consumers.js';
import { writeDerivedFiles } from '../stack/derived.js';
import { checkDocker } from '../stack/docker.js';
import { DEFAULT_DOMAIN, hostsFileLines, hostsFilePath, systemResolver, unresolvedHosts } from '../stack/domain.js';
import { ensurePrivateDir } from '../stack/files.js';
import { isReady, parsePs, waitHealthy } from '../stack/health.js';
import { parseOrExplain, secondsOption, stackDirOption } from '../stack/options.js';
import { composeFilePath, overlayPaths, secretsDir } from '../stack/paths.js';
import { credentialLines, summaryLines } from '../stack/report.js';
import { ensurePrimarySecrets, readPrimaryValues } from '../stack/secrets.js';
import { choiceLines, chooseSetup } from '../stack/setup-choices.js';
import { checkLegacyStack } from '../stack/setup-legacy.js';
import { readSetupRecord, SETUP_RECORD_FILE, writeSetupRecord } from '../stack/setup-record.js';
import { prepareHttps } from '../stack/tls-setup.js';
import { pitrSettings } from '../stack/pitr.js';
import { PITR_USAGE, pitrStackSteps, preparePitr } from '../stack/pitr-setup.js';
import { chooseScale, connectionWarning, countOption, MAX_API_INSTANCES, MAX_PG_REPLICAS, readScale } from '../stack/scale.js';
import { prepareScale, REPLICATION_HOOK } from '../stack/scale-setup.js';

export const summary = 'Create secrets and start the Docker Compose stack';

const usage = `Usage: pesquel setup [options]

Generates ./secrets (never overwriting a file), creates the '${NETWORK}' Docker network, pulls and builds
the images, starts PostgreSQL 17, pgBouncer, PeSquel and Traefik with Docker Compose, and waits
until every service is healthy. Safe to run again: data and secrets are kept, and so is every choice
marked "remembered" (recorded in secrets/${SETUP_RECORD_FILE}; a flag overrides it, --no-… turns one off).

Options:
  --domain <name>        Domain of the URLs (default ${DEFAULT_DOMAIN}: api., admin., traefik.,
                         pgadmin. subdomains; remembered). Prints hosts-file lines if it does not resolve.
  --api-db <route>       Where the API sends queries: postgres (direct, default) or pgbouncer
                         (remembered).
  --pgadmin              Also start pgAdmin 4 (compose profile 'pgadmin'; remembered, --no-pgadmin).
  --monitoring           Also start Prometheus, Grafana and the exporters (deploy/monitoring/;
                         remembered, --no-monitoring).
  --backups              Also start the scheduled backup service (deploy/backup/; remembered,
                         --no-backups).
  --http-port <port>     Host port Traefik listens on (default 80; remembered).
  --acme-email <address> Serve HTTPS with Let's Encrypt certificates (HTTP redirects to HTTPS, HSTS).
  --acme-staging         Use Let's Encrypt's staging CA (untrusted certificates, for trying out);
                         --no-acme-staging goes back to trusted certificates.
  --acme-challenge <c>   http (HTTP-01 on port 80, default) or tls-alpn (TLS-ALPN-01 on port 443).
  --tls <mode>           off (plain HTTP, the default), acme (needs --acme-email) or self-signed
                         (a local CA and certificate in ./certificates, made once; setup prints
                         how to trust the CA). The mode and the --acme-* settings are remembered.
  --https-port <port>    Host port of HTTPS (default 443; remembered).
${PITR_USAGE}
  --postgres-port <port> Host port for direct PostgreSQL access on 127.0.0.1 (default 5432; remembered).
  --api-instances <n>    Run n PeSquel containers behind Traefik (1-${MAX_API_INSTANCES}, default 1; remembered).
  --pg-replicas <m>      Add m streaming replicas of PostgreSQL for reads (0-${MAX_PG_REPLICAS}, default 0;
                         remembered).
  --dir <path>           Folder holding secrets/ (default: the current folder).
  --no-pull              Do not pull newer images (missing ones are still pulled).
  --timeout <seconds>    How long to wait for the services to become healthy (default 180).
  --show-credentials     Print the generated credentials at the end.
  -h, --help             Show this help.`;

const PASSWORD_HOOK = '/docker-entrypoint-initdb.d/99-pesquel-passwords.sh';

function parse(args: string[]) {
  return parseOrExplain(() => parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      domain: { type: 'string' },
      'api-db': { type: 'string' },
      pgadmin: { type: 'boolean' },
      'no-pgadmin': { type: 'boolean' },
      monitoring: { type: 'boolean' },
      'no-monitoring': { type: 'boolean' },
      backups: { type: 'boolean' },
      'no-backups': { type: 'boolean' },
      'http-port': { type: 'string' },
      tls: { type: 'string' },
      'acme-email': { type: 'string' },
      'acme-staging': { type: 'boolean' },
      'no-acme-staging': { type: 'boolean' },
      'acme-challenge': { type: 'string' },
      'https-port': { type: 'string' },
      pitr: { type: 'boolean' },
      'pitr-s3': { type: 'string' },
      'no-pitr': { type: 'boolean' },
      'postgres-port': { type: 'string' },
      'api-instances': { type: 'string' },
      'pg-replicas': { type: 'string' },
      dir: { type: 'string' },
      'no-pull': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'show-credentials': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values, 'setup');
}

/** The uid:gid that can read the owner-only secrets inside the containers (none needed on Windows). */
function secretsOwner(dir: string, rootless: boolean): StackSettings['owner'] {
  if (process.platform === 'win32') return undefined;
  if (rootless) return { uid: 0, gid: 0 }; // container root is the invoking user on the host
  const st = statSync(dir);
  return { uid: st.uid, gid: st.gid };
}

async function runningServices(stack: Stack): Promise<string[]> {
  const ps = await composeCapture(stack, ['ps', '--format', 'json']);
  if (ps.code !== 0) throw new CliError(`docker compose ps failed: ${ps.stderr.trim().split('\n')[0] ?? ''}`);
  return parsePs(ps.stdout).filter(isReady).map((s) => s.service);
}

export async function run(args: string[]): Promise<number> {
  const o = parse(args);
  if (o.help) {
    console.log(usage);
    return 0;
  }
  const stackDir = stackDirOption(o.dir);
  const dir = secretsDir(stackDir);
  const recorded = readSetupRecord(dir);
  const chosen = chooseSetup(o, recorded);
  const choices = chosen.choices;
  if (recorded === undefined) checkLegacyStack(stackDir, dir, o, choices);
  const { domain, tls, apiDb, httpPort, postgresPort } = choices;
  const httpsPort = tls.mode === 'off' ? undefined : choices.httpsPort;
  const timeoutMs = secondsOption('timeout', o.timeout, 180) * 1000;
  const scaleFlags = {
    apiInstances: countOption('api-instances', o['api-instances'], 1, MAX_API_INSTANCES),
    pgReplicas: countOption('pg-replicas', o['pg-replicas'], 0, MAX_PG_REPLICAS),
  };

  const docker = await checkDocker(process.env);
  console.log(`Docker is running (Compose ${docker.composeVersion}${docker.rootless ? ', rootless' : ''}).`);
  for (const line of choiceLines(`secrets/${SETUP_RECORD_FILE}`, chosen, recorded)) console.log(line);

  const missing = await unresolvedHosts(domain, systemResolver());
  if (missing.length > 0 && tls.mode === 'acme') {
    console.log(`Not in DNS yet: ${missing.join(', ')}. Let's Encrypt can only issue their certificates once they point to this machine; then restart Traefik (\`docker restart pesquel-traefik-1\`).`);
  } else if (missing.length > 0) {
    console.log(`${domain} does not resolve on this machine. Add these lines to ${hostsFilePath()} (as administrator):`);
    for (const line of hostsFileLines(missing)) console.log(`  ${line}`);
    console.log('Continuing: the stack starts anyway, the URLs work once the names resolve.');
  }

  ensurePrivateDir(dir);
  writeSetupRecord(dir, choices);
  const secrets = ensurePrimarySecrets(dir, { domain });
  const derived = writeDerivedFiles(dir, readPrimaryValues(dir));
  console.log(`Secrets in ${dir}: ${secrets.created.length} created, ${secrets.kept.length} kept${derived.length > 0 ? `, ${derived.length} derived files updated` : ''}.`);
  if (secrets.tightened.length > 0) console.log(`Restricted to owner-only (0600): ${secrets.tightened.join(', ')}.`);

  const scale = chooseScale(scaleFlags, readScale(dir));
  const scaled = prepareScale({ stackDir, secretsDir: dir, domain, tls, apiDb, scale, values: readPrimaryValues(dir) });
  for (const line of [...scaled.lines, ...connectionWarning(scale.apiInstances, apiDb)]) console.log(line);

  const https = await prepareHttps({ stackDir, domain, tls, httpsPort: httpsPort ?? 443, env: process.env, apiInstances: scale.apiInstances });
  for (const line of https.lines) console.log(line);
  const pitr = preparePitr(stackDir, dir, pitrSettings(o, stackDir));
  for (const line of pitr.lines) console.log(line);

  const settings: StackSettings = { stackDir, domain, apiDb, httpPort, httpsPort, postgresPort, owner: secretsOwner(dir, docker.rootless), scale };
  const stack: Stack = {
    composeFile: composeFilePath(),
    overlays: [...https.overlays, ...pitr.overlays, ...scaled.overlays, ...overlayPaths(choices)],
    profiles: [...(choices.pgadmin ? ['pgadmin'] : []), ...(choices.monitoring ? ['monitoring'] : [])],
    env: { ...process.env, ...stackVariables(settings), ...pitr.variables },
  };
  console.log(`Docker network '${NETWORK}': ${await ensureNetwork(stack.env)}.`);

  const running = await runningServices(stack);
  if (!o['no-pull']) await composeStep(stack, ['pull', '--ignore-buildable'], 'Pulling images');
  await composeStep(stack, ['build'], 'Building images');
  await composeStep(stack, ['up', '--detach', '--remove-orphans'], 'Starting the stack');

  const list = async () => parsePs((await composeCapture(stack, ['ps', '--all', '--format', 'json'])).stdout);
  const wait = { timeoutMs, intervalMs: 1000 };
  await waitHealthy(list, ['postgres'], wait);
  // Also converges a database created with older secrets (e.g. after `teardown --secrets`).
  await composeStep(stack, ['exec', '-T', 'postgres', 'sh', PASSWORD_HOOK], 'Setting the database passwords');
  for (const [args, what] of pitrStackSteps(pitr)) await composeStep(stack, args, what);
  if (scale.pgReplicas > 0) await composeStep(stack, ['exec', '-T', 'postgres', 'sh', REPLICATION_HOOK], 'Setting up the replication role');
  const restart = servicesToRestart([...secrets.created, ...derived, ...scaled.changedFiles], running, [scaled.consumers]);
  if ((https.restartTraefik || scaled.restartTraefik) && running.includes('traefik') && !restart.includes('traefik')) restart.push('traefik');
  if (restart.length > 0) await composeStep(stack, ['restart', ...restart], 'Restarting services with new secrets');

  const services = ['postgres', 'pgbouncer', 'pesquel', 'traefik', ...scaled.services, ...(choices.pgadmin ? ['pgadmin'] : [])];
  console.log(`Waiting for ${services.join(', ')} to be healthy...`);
  await waitHealthy(list, services, wait);

  const report = { domain, httpPort, httpsPort, postgresPort, apiDb, pgadmin: choices.pgadmin, secretsDir: dir };
  for (const line of summaryLines(report)) console.log(line);
  if (o['show-credentials']) for (const line of credentialLines(dir)) console.log(line);
  return 0;
}
