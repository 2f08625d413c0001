import { ParametersNotFound, ParametersUnreadable } from '../../adapters/aws';
import { loadConfig } from '../../core/config';

export interface ReadinessDeps {
  region: string;
  /** The SSM parameters the stage's functions read (serverless.yml READINESS_PARAMETERS); config.yaml's kubeconfigs and HTTP executor secrets are added. */
  parameters: readonly string[];
  /** FLUXLINE_CONFIG: `ssm:/name` or a file. */
  configLocation: string | undefined;
  /** The names among `names` SSM does not have; looked at without decryption, so no secret value is ever held. */
  missingOf(names: readonly string[]): Promise<string[]>;
  /** config.yaml's parameter, decrypted: the only value the check reads. */
  readParameter(name: string): Promise<string>;
}

export interface ReadinessReport {
  status: 'ok' | 'failing';
  /** Every parameter looked at, sorted. */
  checked: string[];
  /** One line an operator can act on per problem: which parameter or config key, where, and why. */
  problems: string[];
}

/**
 * Everything a deployed stage reads, read once: each parameter exists and the role may see it, config.yaml
 * parses and validates, and the kubeconfigs and HTTP executor secrets it names exist. What is wrong is said by name, never by value.
 */
export async function checkReadiness(deps: ReadinessDeps): Promise<ReadinessReport> {
  const problems: string[] = [];
  const configName = deps.configLocation?.startsWith('ssm:') ? deps.configLocation.slice('ssm:'.length) : undefined;
  const checked = new Set([...deps.parameters, ...(configName ? [configName] : [])]);
  const missing: string[] = [];
  const peek = async (names: string[]) => {
    try {
      if (names.length) missing.push(...(await deps.missingOf(names)));
    } catch (err) {
      problems.push(describe(err));
    }
  };
  // The stage's own parameters first (config's included, without decryption): a refusal names them.
  await peek([...checked].sort());
  if (!configName || !missing.includes(configName)) {
    try {
      const config = await loadConfig({ ...(deps.configLocation ? { location: deps.configLocation } : {}), readParameter: (name) => deps.readParameter(name) });
      const kubeconfigs = Object.values(config.clusters).flatMap((cluster) => ('kubeconfig' in cluster && 'ssm' in cluster.kubeconfig ? [cluster.kubeconfig.ssm] : []));
      // The HTTP executors' shared secrets: without one, every run of that executor fails in the thread.
      const executorSecrets = Object.values(config.executors).flatMap((executor) => (executor.http?.secret.ssm !== undefined ? [executor.http.secret.ssm] : []));
      // `secret.env` is npm start's form: a deployed worker has no such variable, so that executor would always fail.
      for (const [name, executor] of Object.entries(config.executors)) {
        if (executor.http?.secret.env !== undefined) problems.push(`config.yaml executors.${name}.http.secret.env is for npm start only: a deployed worker reads the shared secret from SSM, so give secret: { ssm: /parameter/name }`);
      }
      const named = [...new Set([...kubeconfigs, ...executorSecrets])];
      await peek(named.filter((name) => !checked.has(name)));
      for (const name of named) checked.add(name);
    } catch (err) {
      problems.push(describe(err));
    }
  }
  if (missing.length) problems.unshift(new ParametersNotFound([...new Set(missing)].sort(), deps.region).message);
  return { status: problems.length ? 'failing' : 'ok', checked: [...checked].sort(), problems };
}

/** The error's own words, without what AWS quoted (the account id and role name are nobody's business on a public route). */
function describe(err: unknown): string {
  if (err instanceof ParametersUnreadable) return err.message.replace(/ AWS said: [\s\S]*$/, '');
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\b\d{12}\b/g, '<account>');
}
