import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../../core/log';

/** A job's private folder under /tmp (Lambda's only writable disk) and the environment flux runs with there. */
export interface JobFolder {
  work: string;
  /** HOME, KUBECONFIG and PATH: all flux inherits, so the Lambda's own credentials never reach it. */
  env: { PATH: string; HOME: string; KUBECONFIG: string };
}

export interface JobFolderOptions {
  /** @default '/tmp/fluxline' */
  workRoot?: string;
  jobId: string;
  /** The cluster's kubeconfig (credentials included): written 0600 and removed with the folder. */
  kubeconfigYaml: string;
  /** The PATH flux gets: the function's own, for the flux layer. */
  fluxPath: string;
}

/**
 * Gives `use` a fresh /tmp/<job> folder with its own HOME and the cluster's kubeconfig, and removes the
 * folder afterwards, whatever happens: a warm Lambda container must not keep one job's credentials or
 * checkout for the next.
 */
export async function withJobFolder<T>(options: JobFolderOptions, use: (folder: JobFolder) => Promise<T>): Promise<T> {
  const work = join(options.workRoot ?? '/tmp/fluxline', options.jobId);
  const home = join(work, 'home');
  const kubeconfig = join(work, 'kubeconfig');
  try {
    await rm(work, { recursive: true, force: true });
    await mkdir(home, { recursive: true, mode: 0o700 });
    await writeFile(kubeconfig, options.kubeconfigYaml, { mode: 0o600 });
    return await use({ work, env: { PATH: options.fluxPath, HOME: home, KUBECONFIG: kubeconfig } });
  } finally {
    await rm(work, { recursive: true, force: true }).catch((err: unknown) => logger.warn('could not remove the job folder', { work, error: err as Error }));
  }
}
