// `npm run demo`: the seed tutorial (docker/demo.sh, with the AWS CLI) against an emulator
// this script starts on a free loopback port, without Docker.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/server.js';

// The demo speaks through the AWS CLI: without it, say what to install rather than let bash
// fail on each call with `aws: command not found`.
const awsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' });
if (awsCli.error || awsCli.status !== 0) {
  console.error(
    'demo: the AWS CLI (`aws`) is not on the PATH. Install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html, ' +
      'or `pipx install awscli`), or run the demo in Docker: docker compose -f docker/docker-compose.yml up --build',
  );
  process.exit(1);
}

const server = await startServer({ port: 0, logLevel: 'warn' });
// Asynchronous: the emulator answers from this same process while the demo runs.
const demo = spawn('bash', [fileURLToPath(new URL('../docker/demo.sh', import.meta.url))], {
  stdio: 'inherit',
  env: { ...process.env, ENDPOINT: server.url },
});
const [code] = (await Promise.race([
  once(demo, 'exit'),
  once(demo, 'error').then(([error]) => {
    console.error(`demo: ${(error as Error).message} (it needs bash and the AWS CLI)`);
    return [1];
  }),
])) as [number | null];
await server.close();
process.exit(code ?? 1);
