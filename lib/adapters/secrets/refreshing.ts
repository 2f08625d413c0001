import type { Env } from '../../core/config/env';
import { logger } from '../../core/log';
import { PARAMETER_MAX_AGE_MS } from './parameter-cache';
import { parameterFingerprint } from './secrets';

interface Built<T> {
  value: Promise<T>;
  fingerprint: string | undefined;
  checkedAt: number;
}

/**
 * What a warm container builds from its SSM parameters (config.yaml, the Slack client of the bot token,
 * the GitHub App of its key and id), rebuilt when they change: at most once per cache period the
 * parameters are read again (one GetParameters), and `build` runs again only if they differ. A refresh
 * that fails (SSM down, a config.yaml that no longer validates) keeps what was built before and says so;
 * a failed first build is retried by the next call.
 */
export function refreshedWithParameters<T>(env: Env, what: string, build: () => Promise<T>, { maxAgeMs = PARAMETER_MAX_AGE_MS }: { maxAgeMs?: number } = {}): () => Promise<T> {
  let built: Built<T> | undefined;
  let pending: Promise<T> | undefined;
  return () => {
    if (pending) return pending;
    if (built && Date.now() - built.checkedAt < maxAgeMs) return built.value;
    const previous = built;
    const checkedAt = Date.now();
    pending = (async () => {
      const fingerprint = await parameterFingerprint(env).catch((err: unknown) => {
        if (!previous) return undefined; // the build names what is wrong
        logger.warn(`${what}: could not read the parameters again; keeping the ones read before`, { error: err as Error });
        return previous.fingerprint;
      });
      if (previous && fingerprint === previous.fingerprint) {
        previous.checkedAt = checkedAt;
        return previous.value;
      }
      try {
        const value = await build();
        built = { value: Promise.resolve(value), fingerprint, checkedAt };
        if (previous) logger.info(`${what}: rebuilt with the changed parameters`);
        return value;
      } catch (err) {
        if (!previous) throw err;
        logger.error(`${what}: the changed parameters do not work; keeping the ones read before`, { error: err as Error });
        previous.checkedAt = checkedAt;
        return previous.value;
      }
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
