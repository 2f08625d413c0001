// What the stand-in prints once flux would start diffing. It cannot see the test's state, so the
// checked-out manifests choose: a file `fluxline-scenario` in the --path directory (see README.md).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

export const SCENARIO_FILE = 'fluxline-scenario';
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/flux-diff');

/** flux's own line when it found changes (cmd/flux/main.go: Warningf for a StatusCode 1 RequestError). */
export const CHANGES_LINE = '⚠️ identified at least one change, exiting with non-zero exit code';

/** Reads the scenario line; no file means the PR changes nothing on the cluster. */
export function readScenario(path) {
  const file = join(path, SCENARIO_FILE);
  if (!existsSync(file)) return { name: 'no-changes', argument: '' };
  const line = readFileSync(file, 'utf8').split(/\r?\n/).find((l) => l.trim() !== '') ?? 'no-changes';
  const [name = 'no-changes'] = line.trim().split(/\s+/);
  return { name, argument: line.trim().slice(name.length).trim() };
}

/** A report of many drifted ConfigMaps, each with a dyff body, at least `bytes` long. */
export function hugeReport(bytes) {
  const blocks = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const block = `► ConfigMap/default/cm-${i} drifted\n\ndata.value\n± value change\n- old-${i}\n+ new-${i}\n\n`;
    blocks.push(block);
    size += Buffer.byteLength(block);
  }
  return blocks.join('');
}

/** Safety net, not part of the contract: if a broken runner never kills us, we still go away eventually. */
const GIVE_UP_MS = 10 * 60_000;

function hangForever() {
  setInterval(() => {}, 60_000);
  setTimeout(() => process.exit(124), GIVE_UP_MS).unref();
}

/**
 * Runs the scenario and returns the exit code, or undefined for scenarios that never exit on their
 * own (hang) or die by a signal (crash). `io` = { stdout, stderr, env, progress }.
 */
export function runScenario(scenario, io, path = '.') {
  switch (scenario.name) {
    case 'no-changes':
      io.progress();
      return 0;
    case 'changes': {
      const fixture = scenario.argument;
      const file = join(FIXTURES, `${fixture}.golden`);
      if (!/^[a-z0-9-]+$/.test(fixture) || !existsSync(file)) {
        io.stderr(`✗ stand-in flux: no fixture test/fixtures/flux-diff/${fixture}.golden\n`);
        return 3;
      }
      io.progress();
      io.stdout(readFileSync(file, 'utf8'));
      io.stderr(`${CHANGES_LINE}\n`);
      return 1;
    }
    case 'changes-from': {
      // A report the test wrote into the checkout (e.g. one that prints a substituted value), by file name.
      const file = join(path, scenario.argument);
      if (!/^[\w.-]+$/.test(scenario.argument) || !existsSync(file)) {
        io.stderr(`✗ stand-in flux: no file "${scenario.argument}" next to ${SCENARIO_FILE}\n`);
        return 3;
      }
      io.progress();
      io.stdout(readFileSync(file, 'utf8'));
      io.stderr(`${CHANGES_LINE}\n`);
      return 1;
    }
    case 'build-error':
      io.progress();
      io.stderr(`✗ ${scenario.argument || 'kustomize build failed'}\n`);
      return 2;
    case 'huge': {
      const bytes = Number(scenario.argument);
      if (!Number.isInteger(bytes) || bytes <= 0) {
        io.stderr(`✗ stand-in flux: "huge" needs a byte count, got "${scenario.argument}"\n`);
        return 3;
      }
      io.progress();
      io.stdout(hugeReport(bytes));
      io.stderr(`${CHANGES_LINE}\n`);
      return 1;
    }
    case 'hang':
    case 'hang-stubborn': {
      // A helper process in flux's group, as kustomize plugins or SOPS would be: the timeout must kill it too.
      const helper = spawn(process.execPath, ['-e', `setInterval(() => {}, 60000); setTimeout(() => process.exit(0), ${GIVE_UP_MS})`], { stdio: 'ignore' });
      if (scenario.name === 'hang-stubborn') process.on('SIGTERM', () => io.stderr('► ignoring SIGTERM\n'));
      io.stderr(`► hanging, helper pid ${helper.pid}\n`);
      hangForever();
      return undefined;
    }
    case 'crash':
      io.progress();
      process.kill(process.pid, 'SIGSEGV');
      hangForever();
      return undefined;
    case 'echo-env':
      // Names only: the values include credentials paths and must not end up in test logs.
      io.stdout(`${Object.keys(io.env).sort().join('\n')}\n`);
      return 0;
    default:
      io.stderr(`✗ stand-in flux: unknown scenario "${scenario.name}" in ${SCENARIO_FILE}\n`);
      return 3;
  }
}
