// `pesquel teardown`: stops the Docker Compose stack, then deletes the data volumes, the network and
// the secrets only when asked (a question each, or --volumes / --network / --secrets / --yes). TLS
// certificates go only with --certificates: Let's Encrypt limits how often they can be issued again.
import { parseArgs } from 'node:util';
import { composeStep, NETWORK, stackVariables } from '../stack/compose.js';
import type { Stack } from '../stack/compose.js';
import { checkDocker } from '../stack/docker.js';
import { DEFAULT_DOMAIN } from '../stack/domain.js';
import { parseOrExplain, stackDirOption } from '../stack/options.js';
import { composeFilePath, replicasOverlayPath, secretsDir } from '../stack/paths.js';
import { createAsker } from '../stack/prompt.js';
import { deleteSecretFiles, removeNetwork } from '../stack/remove.js';
import { DEFAULT_SCALE, readScale } from '../stack/scale.js';
import type { Scale } from '../stack/scale.js';
import { certificatesDir } from '../stack/tls.js';
import { deleteLocalCertificates, removeAcmeVolume } from '../stack/tls-remove.js';

export const summary = 'Stop the Docker Compose stack (optionally delete data, network, secrets)';

const usage = `Usage: pesquel teardown [options]

Stops and removes the stack's containers. Then asks, one question each, whether to delete the data
volumes (the PostgreSQL database and pgAdmin's settings), the '${NETWORK}' Docker network and the
secrets in ./secrets. Without an answer (end of input) nothing is deleted. A scaled stack (setup's
--api-instances, --pg-replicas) goes the same way: every PeSquel container and every replica (with
--volumes, the replicas' copies of the data too).

Options:
  --volumes     Delete the data volumes without asking (ALL DATABASE DATA).
  --network     Remove the '${NETWORK}' Docker network without asking.
  --secrets     Delete the files setup wrote in ./secrets without asking (the next setup starts
                from the defaults: its remembered choices go too).
  -y, --yes     Answer yes to every question: delete volumes, network and secrets.
  --certificates  Also delete the TLS certificates: the Let's Encrypt volume and ./certificates
                (the local CA). Never asked, and not part of --yes.
  --dir <path>  Folder holding secrets/ (default: the current folder).
  -h, --help    Show this help.`;

function parse(args: string[]) {
  return parseOrExplain(() => parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      volumes: { type: 'boolean', default: false },
      network: { type: 'boolean', default: false },
      secrets: { type: 'boolean', default: false },
      certificates: { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values, 'teardown');
}

type Answers = { volumes: boolean; network: boolean; secrets: boolean };

async function answers(o: ReturnType<typeof parse>, dir: string): Promise<Answers> {
  const given = { volumes: o.volumes || o.yes, network: o.network || o.yes, secrets: o.secrets || o.yes };
  if (given.volumes && given.network && given.secrets) return given;
  const asker = createAsker(process.stdin, process.stdout);
  try {
    return {
      volumes: given.volumes || (await asker.ask('Delete the data volumes (the PostgreSQL database and pgAdmin settings)? This cannot be undone.')),
      network: given.network || (await asker.ask(`Remove the Docker network '${NETWORK}'?`)),
      secrets: given.secrets || (await asker.ask(`Delete the secrets in ${dir} (passwords, JWT secret, the choices setup remembers)?`)),
    };
  } finally {
    asker.close();
  }
}

/** A damaged scale.json must not keep the stack from stopping: `down --remove-orphans` finds every container anyway. */
function recordedScale(dir: string): Scale {
  try {
    return readScale(dir);
  } catch (err) {
    console.log(`${(err as Error).message} Stopping without it.`);
    return DEFAULT_SCALE;
  }
}

export async function run(args: string[]): Promise<number> {
  const o = parse(args);
  if (o.help) {
    console.log(usage);
    return 0;
  }
  const stackDir = stackDirOption(o.dir);
  const dir = secretsDir(stackDir);
  await checkDocker(process.env);
  const want = await answers(o, dir);

  // The recorded scale: with replicas, their overlay is part of the project, so that `down` knows
  // them (and --volumes deletes their data too).
  const scale = recordedScale(dir);
  const vars = stackVariables({ stackDir, domain: DEFAULT_DOMAIN, apiDb: 'pgbouncer', httpPort: 80, postgresPort: 5432, scale });
  // Every profile, so that pgAdmin stops too when it was started with --pgadmin.
  const overlays = scale.pgReplicas > 0 ? [replicasOverlayPath()] : [];
  const stack: Stack = { composeFile: composeFilePath(), overlays, profiles: ['pgadmin'], env: { ...process.env, ...vars } };
  await composeStep(stack, ['down', '--remove-orphans', ...(want.volumes ? ['--volumes'] : [])], 'Stopping the stack');
  console.log(want.volumes ? 'Stopped the stack and deleted its data volumes.' : 'Stopped the stack; the data volumes are kept.');

  if (want.network) console.log(await removeNetwork(stack.env));
  else console.log(`Kept the Docker network '${NETWORK}'.`);

  if (want.secrets) {
    console.log(`Deleted ${deleteSecretFiles(dir)} files from ${dir}.`);
    if (!want.volumes) console.log('The database keeps its old passwords until the next `pesquel setup`, which sets them from the new secrets.');
  } else {
    console.log(`Kept the secrets in ${dir}.`);
  }

  if (o.certificates) {
    console.log(await removeAcmeVolume(stack.env));
    const certs = certificatesDir(stackDir);
    console.log(`Deleted ${deleteLocalCertificates(certs)} files from ${certs}.`);
  }
  return 0;
}
