import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { root, warn } from './common.mjs';

/**
 * The GitHub API stand-in (test/fakes/github/index.ts) for when no App is configured: a fresh App key pair,
 * the installation of acme/fleet, the PRs of events/*.json with their changed files, and a tarball of
 * every head SHA they mention, so `npm run send -- events/pull-request-opened.json` gets as far as a PR
 * notice, and a Flux diff click as far as a report. Each tarball holds the Kustomization path of the
 * Kubernetes stand-in with a `fluxline-scenario` line for the stand-in flux (test/fakes/tarball.ts).
 */
export async function startGithubStandIn(env) {
  const fakes = await tsImport('../../test/fakes/github/index.ts', import.meta.url);
  const { pullRequestTarball } = await tsImport('../../test/fakes/tarball.ts', import.meta.url);
  const fleet = await tsImport('../lib/sample-fleet.ts', import.meta.url);
  const { privateKey, publicKey } = fakes.generateAppKeyPair();
  const github = await fakes.startFakeGithub({ appId: fleet.SAMPLE_APP_ID, publicKey });

  // The latest open state of each sample PR (by updated_at), so the stand-in answers with its current head.
  const latest = new Map();
  // Every head a sample event names, by the base repository (which serves its fork PRs' heads too).
  const heads = new Map();
  for (const file of readdirSync(join(root, 'events')).filter((f) => f.endsWith('.json')).sort()) {
    let payload;
    try {
      const event = JSON.parse(readFileSync(join(root, 'events', file), 'utf8'));
      if (event.rawPath !== '/github/webhook') continue;
      payload = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    } catch (err) {
      warn(`events/${file} skipped for the GitHub stand-in: ${err.message}`);
      continue;
    }
    const pr = payload.pull_request;
    const repository = payload.repository?.full_name;
    if (!pr || !repository) continue;
    if (payload.installation?.id) github.installations.set(repository, payload.installation.id);
    if (pr.head?.sha) heads.set(`${repository}@${pr.head.sha}`, { repository, sha: pr.head.sha });
    const key = `${repository}#${pr.number}`;
    const seen = latest.get(key);
    const rank = (p) => `${p.state === 'open' ? 1 : 0}${p.updated_at}`;
    if (!seen || rank(pr) > rank(seen.pr)) latest.set(key, { repository, pr });
  }
  for (const { repository, pr } of latest.values()) {
    github.addPullRequest({ payload: pr, repository, files: [...(fleet.SAMPLE_PULL_REQUEST_FILES[pr.number] ?? [])] });
  }
  for (const { repository, sha } of heads.values()) {
    github.setTarball(repository, sha, await pullRequestTarball(repository, sha, fleet.SAMPLE_SCENARIO, fleet.SAMPLE_KUSTOMIZATION.path));
  }

  env.GITHUB_APP_ID = fleet.SAMPLE_APP_ID;
  env.GITHUB_PRIVATE_KEY = privateKey;
  env.GITHUB_API_URL = github.url;
  return {
    name: 'GitHub',
    note: `local stand-in at ${github.url} (PRs ${[...latest.keys()].join(', ') || 'none'}, with their head tarballs)\n(set GITHUB_APP_ID, GITHUB_PRIVATE_KEY to use your real App)`,
    faultsUrl: `${github.url}/__fake/faults`,
    stop: () => github.stop(),
  };
}

