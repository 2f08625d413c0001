import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { root } from './world';

export interface ChildResult {
  code: number | null;
  stderr: string;
  wallMs: number;
}

/** Runs `node <args>` in the repository with exactly `env`; killed after `timeoutMs`. */
export function runChild(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, wallMs: performance.now() - started });
    });
  });
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** BENCH_CPU_PROF=<dir>: node flags that write a V8 CPU profile named `name` there. */
export function cpuProfileFlags(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/**
 * BENCH_HEAP_PROF=<dir>: node flags that write a V8 sampling heap profile named `name` there (what is
 * allocated, by which module: the way to see what a process holds at its peak RSS).
 */
export function heapProfileFlags(name: string): string[] {
  const dir = process.env.BENCH_HEAP_PROF;
  return dir ? ['--heap-prof', `--heap-prof-dir=${dir}`, `--heap-prof-name=${name}.heapprofile`] : [];
}
