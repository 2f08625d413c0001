import { settingsFrom, type Env } from '../../lib/core/config';
import { refreshedWithParameters } from '../../lib/adapters/secrets';
import { appDeliveriesOf, type RedeliveryDeps } from '../../lib/flows/redeliveries';
import { createStore } from '../../lib/adapters/store';
import { githubAppFromEnv, githubAppIdFromEnv } from './github-app';

const built = new Map<Env, () => Promise<RedeliveryDeps>>();

/**
 * What the redelivery sweep needs, built once per container from the environment (and again when the App
 * id or key changes in SSM): the App (JWT) client and the table. Not the whole Runtime: the sweep reads
 * no config.yaml and posts nothing to Slack, so its role may read only the GitHub App's parameters.
 */
export function redeliveryDepsFor(env: Env = process.env): Promise<RedeliveryDeps> {
  let deps = built.get(env);
  if (!deps) {
    deps = refreshedWithParameters(env, 'redelivery sweep', async () => {
      const settings = settingsFrom(env);
      const [appId, app] = await Promise.all([githubAppIdFromEnv(env), githubAppFromEnv(env, settings)]);
      const store = createStore({ tableName: settings.tableName, endpoint: settings.dynamoDbEndpoint, region: settings.region });
      return { appId, github: appDeliveriesOf(app), store };
    });
    built.set(env, deps);
  }
  return deps();
}
