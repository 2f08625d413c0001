import { requireEnv, settingsFrom, type Env } from '../../lib/core/config';
import { appDeliveriesOf, type RedeliveryDeps } from '../../lib/flows/redeliveries';
import { createStore } from '../../lib/adapters/store';
import { githubAppFromEnv } from './github-app';

const built = new Map<Env, Promise<RedeliveryDeps>>();

/**
 * What the redelivery sweep needs, built once per container from the environment: the App (JWT) client
 * and the table. Not the whole Runtime: the sweep reads no config.yaml and posts nothing to Slack, so its
 * role may read only the GitHub private key.
 */
export function redeliveryDepsFor(env: Env = process.env): Promise<RedeliveryDeps> {
  let deps = built.get(env);
  if (!deps) {
    deps = (async () => {
      const settings = settingsFrom(env);
      const appId = requireEnv(env, 'GITHUB_APP_ID', 'set it to the App ID shown on the GitHub App settings page');
      const app = await githubAppFromEnv(env, settings);
      const store = createStore({ tableName: settings.tableName, endpoint: settings.dynamoDbEndpoint, region: settings.region });
      return { appId, github: appDeliveriesOf(app), store };
    })();
    built.set(env, deps);
    deps.catch(() => built.delete(env));
  }
  return deps;
}
