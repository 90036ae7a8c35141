// `npm run demo`: the seed tutorial (docker/demo.sh, with the AWS CLI) against an emulator
// this script starts on a free loopback port, without Docker.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startServer } from '../src/server.js';

const server = await startServer({ port: 0, logLevel: 'warn' });
// Asynchronous: the emulator answers from this same process while the demo runs.
const demo = spawn('bash', [new URL('../docker/demo.sh', import.meta.url).pathname], { stdio: 'inherit', env: { ...process.env, ENDPOINT: server.url } });
const [code] = (await Promise.race([
  once(demo, 'exit'),
  once(demo, 'error').then(([error]) => {
    console.error(`demo: ${(error as Error).message} (it needs bash and the AWS CLI)`);
    return [1];
  }),
])) as [number | null];
await server.close();
process.exit(code ?? 1);
