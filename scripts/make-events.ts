/**
 * Writes events/*.json: API Gateway HTTP API (payload 2.0) events as Lambda receives them, built from
 * GitHub's own example payloads (@octokit/webhooks-examples) re-homed to acme/fleet, and from Slack's
 * documented request shapes. They are signed with the local default secrets, so they verify as they are
 * with `serverless invoke local`; `npm run send` re-signs them (fresh delivery id, fresh Slack timestamp).
 *
 *   npx tsx scripts/make-events.ts           # rewrite events/*.json
 *   npx tsx scripts/make-events.ts --check   # exit 1 when they differ from what this script makes
 *
 * Everything is deterministic (fixed delivery ids and times), so the files only change when this does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { encodeAction } from '../lib/commands';
import { LOCAL_SECRETS, signFluxBody, signGithubBody, signSlackBody } from './lib/signing';
import { lineCounts, SAMPLE_APP_ID, SAMPLE_INSTALLATION_ID, SAMPLE_PULL_REQUEST_FILES, SAMPLE_REPOSITORY } from './lib/sample-fleet';

type Json = Record<string, unknown>;

export const EVENTS_DIR = join(fileURLToPath(new URL('..', import.meta.url)), 'events');

const [OWNER, REPO] = SAMPLE_REPOSITORY.split('/') as [string, string];
/** 2026-01-15 09:30:00 UTC: the sample story starts here, one minute per event. */
const START = Date.UTC(2026, 0, 15, 9, 30, 0);
const at = (minute: number) => new Date(START + minute * 60_000);
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const SHA = {
  base: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
  opened: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  pushed: '7c1d2f3a9b8e4d5c6a7b8c9d0e1f2a3b4c5d6e7f',
  merge: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
  fork: '2b9e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
};

function example(name: string, matches: (e: Json) => boolean): Json {
  const definition = (examples as { name: string; examples: Json[] }[]).find((d) => d.name === name);
  const found = definition?.examples.find(matches);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${name} example matching the filter`);
  return structuredClone(found);
}

/** GitHub's example user, turned into the acme organisation that owns the fleet repository. */
function organisation(user: Json): Json {
  const rehomed = JSON.parse(JSON.stringify(user).replaceAll('Codertocat', OWNER)) as Json;
  return { ...rehomed, id: 87_654_321, node_id: 'MDEyOk9yZ2FuaXphdGlvbjg3NjU0MzIx', type: 'Organization' };
}

/** Moves an example from Codertocat/Hello-World PR #2 to acme/fleet PR `number`, deeply (URLs included). */
function rehome(payload: Json, number: number): Json {
  const text = JSON.stringify(payload)
    .replaceAll('Codertocat/Hello-World', SAMPLE_REPOSITORY)
    .replace(/\/(pulls|pull|issues)\/2(?=["/#.])/g, `/$1/${number}`)
    .replaceAll('"Hello-World"', `"${REPO}"`)
    .replaceAll('"master"', '"main"')
    .replaceAll('"Codertocat:master"', `"${OWNER}:main"`);
  const moved = JSON.parse(text) as Json;
  const repository = moved.repository as Json | undefined;
  if (repository) {
    repository.owner = organisation(repository.owner as Json);
    repository.id = 186_853_042;
  }
  return moved;
}

interface PullRequestStory {
  number?: number;
  headSha: string;
  minute: number;
  title?: string;
  draft?: boolean;
  labels?: string[];
  merged?: boolean;
  forkOwner?: string;
}

function pullRequestPayload(action: string, story: PullRequestStory, filter: (e: Json) => boolean = (e) => e.action === action && Boolean(e.installation)): Json {
  const number = story.number ?? 42;
  const payload = rehome(example('pull_request', filter), number);
  const pr = payload.pull_request as Json;
  const head = pr.head as Json;
  const base = pr.base as Json;
  const files = SAMPLE_PULL_REQUEST_FILES[number] ?? [];
  const counts = files.map((f) => lineCounts(f.status));
  const opened = at(0);
  const updated = at(story.minute);

  const ref = story.forkOwner ? 'podinfo-hpa' : 'bump-podinfo';
  const headOwner = story.forkOwner ?? OWNER;
  const baseRepo = { ...(base.repo as Json), owner: organisation((base.repo as Json).owner as Json), id: 186_853_042 };
  const headRepo = story.forkOwner
    ? (JSON.parse(JSON.stringify(baseRepo).replaceAll(`${SAMPLE_REPOSITORY}`, `${story.forkOwner}/${REPO}`)) as Json)
    : baseRepo;
  if (story.forkOwner) {
    Object.assign(headRepo, { id: 286_853_043, fork: true, owner: { ...(pr.user as Json), login: story.forkOwner, id: 31_415_926, type: 'User' } });
    headRepo.owner = JSON.parse(JSON.stringify(headRepo.owner).replaceAll('Codertocat', story.forkOwner)) as Json;
  }
  Object.assign(head, { ref, label: `${headOwner}:${ref}`, sha: story.headSha, repo: headRepo, user: headRepo.owner });
  Object.assign(base, { ref: 'main', label: `${OWNER}:main`, sha: SHA.base, repo: baseRepo, user: baseRepo.owner });

  const merged = story.merged ?? false;
  Object.assign(pr, {
    number,
    id: 279_147_400 + number,
    title: story.title ?? 'podinfo: bump the chart to 6.7.1 and raise staging replicas',
    body: story.forkOwner ? 'Adds a HorizontalPodAutoscaler for podinfo (2-6 replicas at 80% CPU).' : 'Chart 6.7.0 -> 6.7.1 (security fix) and staging replicas 1 -> 2. Docs updated.',
    state: action === 'closed' ? 'closed' : 'open',
    draft: story.draft ?? false,
    labels: (story.labels ?? []).map((name, i) => ({ id: 1_362_934_400 + i, node_id: 'MDU6TGFiZWwxMzYyOTM0NDAw', url: `https://api.github.com/repos/${SAMPLE_REPOSITORY}/labels/${name}`, name, color: 'ededed', default: false, description: null })),
    created_at: isoSeconds(opened),
    updated_at: isoSeconds(updated),
    closed_at: action === 'closed' ? isoSeconds(updated) : null,
    merged_at: merged ? isoSeconds(updated) : null,
    merged,
    merged_by: merged ? pr.user : null,
    merge_commit_sha: merged ? SHA.merge : null,
    mergeable: action === 'closed' ? null : true,
    commits: story.headSha === SHA.pushed ? 2 : 1,
    additions: counts.reduce((sum, c) => sum + c.additions, 0),
    deletions: counts.reduce((sum, c) => sum + c.deletions, 0),
    changed_files: files.length,
  });
  if (story.forkOwner) {
    // A fork's PR is opened by the fork's owner, who is not a member of acme.
    Object.assign(pr, { user: headRepo.owner, author_association: 'FIRST_TIME_CONTRIBUTOR', assignees: [], requested_reviewers: [] });
    payload.sender = headRepo.owner;
  }
  payload.number = number;
  payload.installation = { id: SAMPLE_INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
  return payload;
}

const EXAMPLE_HOST = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';

/** An API Gateway HTTP API v2 event as Lambda receives it: header names lowercased, body as a string. */
function apiGatewayEvent(route: string, headers: Record<string, string>, body: string, when: Date, sourceIp: string, requestId: string): APIGatewayProxyEventV2 {
  const [method = 'POST', path = '/'] = route.split(' ');
  const userAgent = headers['user-agent'] ?? '';
  const day = when.toUTCString().split(' ');
  return {
    version: '2.0',
    routeKey: route,
    rawPath: path,
    rawQueryString: '',
    headers: {
      'content-length': String(Buffer.byteLength(body)),
      host: EXAMPLE_HOST,
      'x-amzn-trace-id': `Root=1-${Math.floor(when.getTime() / 1000).toString(16)}-${requestId.toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(24, '0').slice(0, 24)}`,
      'x-forwarded-for': sourceIp,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: EXAMPLE_HOST.split('.')[0] ?? 'api',
      domainName: EXAMPLE_HOST,
      domainPrefix: EXAMPLE_HOST.split('.')[0] ?? 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent },
      requestId,
      routeKey: route,
      stage: '$default',
      // API Gateway's own format: 15/Jan/2026:09:30:00 +0000
      time: `${day[1]}/${day[2]}/${day[3]}:${day[4]} +0000`,
      timeEpoch: when.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

function githubDelivery(eventName: string, payload: Json, deliveryId: string, when: Date): APIGatewayProxyEventV2 {
  const body = JSON.stringify(payload);
  return apiGatewayEvent(
    'POST /github/webhook',
    {
      accept: '*/*',
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/6a5e2b1',
      'x-github-delivery': deliveryId,
      'x-github-event': eventName,
      'x-github-hook-id': '512345678',
      'x-github-hook-installation-target-id': SAMPLE_APP_ID,
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': signGithubBody(LOCAL_SECRETS.GITHUB_WEBHOOK_SECRET, body),
    },
    body,
    when,
    '140.82.115.54',
    `${deliveryId.slice(0, 14).replace(/-/g, '')}=`,
  );
}

function slackRequest(path: '/slack/commands' | '/slack/interactions', form: Record<string, string>, when: Date, requestId: string): APIGatewayProxyEventV2 {
  const body = new URLSearchParams(form).toString();
  const timestamp = Math.floor(when.getTime() / 1000);
  return apiGatewayEvent(
    `POST ${path}`,
    {
      accept: 'application/json,*/*',
      'accept-encoding': 'gzip,deflate',
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackBody(LOCAL_SECRETS.SLACK_SIGNING_SECRET, timestamp, body),
    },
    body,
    when,
    '3.5.140.2',
    requestId,
  );
}

/** A `/flux <text>` slash command as Slack sends it from the sample channel. */
function slashCommand(text: string, ids: { triggerId: string; responseUrl: string }, when: Date, requestId: string): APIGatewayProxyEventV2 {
  const { triggerId, responseUrl } = ids;
  return slackRequest(
    '/slack/commands',
    {
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: SLACK.team,
      team_domain: 'acme',
      channel_id: SLACK.channel,
      channel_name: 'flux',
      user_id: SLACK.user,
      user_name: SLACK.userName,
      command: '/flux',
      text,
      api_app_id: SLACK.app,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    },
    when,
    requestId,
  );
}

/**
 * What notification-controller's `generic-hmac` Provider posts for `cluster`: the Event of
 * fluxcd/pkg/apis/event/v1beta1 as JSON, `X-Signature: sha256=<hex HMAC>` of it with the Provider's token
 * (https://fluxcd.io/flux/components/notification/providers/#generic-webhook-with-hmac), and the
 * `{cluster}` of the route as API Gateway's path parameter.
 */
function fluxEvent(cluster: string, event: Json, when: Date, requestId: string): APIGatewayProxyEventV2 {
  const body = JSON.stringify(event);
  return {
    ...apiGatewayEvent(
      `POST /flux/events/${cluster}`,
      { 'content-type': 'application/json', 'user-agent': 'Go-http-client/1.1', 'x-signature': signFluxBody(LOCAL_SECRETS.FLUX_WEBHOOK_TOKEN, body) },
      body,
      when,
      '10.0.12.7',
      requestId,
    ),
    routeKey: 'POST /flux/events/{cluster}',
    pathParameters: { cluster },
  };
}

/** Flux's events for the sample story on the `local` cluster of config.example.yaml, after #42 merged. */
const PODINFO_RELEASE = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace: 'podinfo', uid: '4b3a2c1d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' };
const APPS_KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux-system', uid: '7d0cdc51-ddcf-4743-b223-83ca5c699632' };

function fluxEvents(): Record<string, APIGatewayProxyEventV2> {
  return {
    'flux-event-reconciliation-succeeded.json': fluxEvent(
      'local',
      {
        involvedObject: APPS_KUSTOMIZATION,
        severity: 'info',
        timestamp: isoSeconds(at(31)),
        message: 'Reconciliation finished in 1.28s, next run in 10m0s',
        reason: 'ReconciliationSucceeded',
        metadata: { revision: `main@sha1:${SHA.merge}` },
        reportingController: 'kustomize-controller',
        reportingInstance: 'kustomize-controller-7f5d8b6c9d-x2k4q',
      },
      at(31),
      'Kc3fSjQMwIdFLyC=',
    ),
    'flux-event-upgrade-succeeded.json': fluxEvent(
      'local',
      {
        involvedObject: PODINFO_RELEASE,
        severity: 'info',
        timestamp: isoSeconds(at(32)),
        message: 'Helm upgrade succeeded for release podinfo/podinfo.v4 with chart podinfo@6.7.1',
        reason: 'UpgradeSucceeded',
        metadata: { revision: '6.7.1' },
        reportingController: 'helm-controller',
        reportingInstance: 'helm-controller-5c9f7b8d6-q8w2e',
      },
      at(32),
      'Kd4gTkRNxJeGMzD=',
    ),
    'flux-event-upgrade-failed.json': fluxEvent(
      'local',
      {
        involvedObject: PODINFO_RELEASE,
        severity: 'error',
        timestamp: isoSeconds(at(40)),
        message:
          'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.7.2: cannot patch "podinfo" with kind Deployment: Deployment.apps "podinfo" is invalid: spec.template.spec.containers[0].image: Required value',
        reason: 'UpgradeFailed',
        metadata: { revision: '6.7.2' },
        reportingController: 'helm-controller',
        reportingInstance: 'helm-controller-5c9f7b8d6-q8w2e',
      },
      at(40),
      'Ke5hUlSOyKfHNaE=',
    ),
  };
}

const SLACK = { team: 'T0ACME', user: 'U0ADMIN', userName: 'alice', channel: 'C0FLUX', app: 'A0FLUXLINE', bot: 'B0FLUXBOT', botUser: 'U0FLUXBOT' };
/** The ts Slack gave the PR notice the click sample is on. */
const NOTICE_TS = `${Math.floor(at(0).getTime() / 1000)}.000100`;

function fluxDiffClick(): Json {
  const value = encodeAction({ type: 'flux-diff', repository: SAMPLE_REPOSITORY, number: 42, kustomization: 'flux-system/apps', cluster: 'local' });
  const clickedAt = at(2);
  return {
    type: 'block_actions',
    user: { id: SLACK.user, username: SLACK.userName, name: SLACK.userName, team_id: SLACK.team },
    api_app_id: SLACK.app,
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: NOTICE_TS, channel_id: SLACK.channel, is_ephemeral: false },
    trigger_id: '8123456789012.1234567890123.0a1b2c3d4e5f67890a1b2c3d4e5f6789',
    team: { id: SLACK.team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: SLACK.channel, name: 'flux' },
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: 'acme/fleet#42 podinfo: bump the chart to 6.7.1 and raise staging replicas',
      ts: NOTICE_TS,
      bot_id: SLACK.bot,
      user: SLACK.botUser,
      blocks: [
        { type: 'section', block_id: 'pr', text: { type: 'mrkdwn', text: '*<https://github.com/acme/fleet/pull/42|acme/fleet#42>* podinfo: bump the chart to 6.7.1 and raise staging replicas', verbatim: false } },
        {
          type: 'actions',
          block_id: 'pr-actions',
          elements: [
            { type: 'button', action_id: 'fluxline.flux-diff:0', text: { type: 'plain_text', text: 'Flux diff flux-system/apps on local', emoji: true }, value },
            { type: 'button', action_id: 'fluxline.view-pr', text: { type: 'plain_text', text: 'View PR', emoji: true }, url: 'https://github.com/acme/fleet/pull/42' },
          ],
        },
      ],
    },
    state: { values: {} },
    response_url: 'https://hooks.slack.com/actions/T0ACME/8123456789012/Zl3fMQ8mLk0Ytg2QpJrHx5vW',
    actions: [
      {
        action_id: 'fluxline.flux-diff:0',
        block_id: 'pr-actions',
        text: { type: 'plain_text', text: 'Flux diff flux-system/apps on local', emoji: true },
        value,
        type: 'button',
        action_ts: `${Math.floor(clickedAt.getTime() / 1000)}.482913`,
      },
    ],
  };
}

/** Every sample, by file name under events/. */
export function buildSampleEvents(): Record<string, APIGatewayProxyEventV2> {
  const ping = rehome(example('ping', (e) => Boolean((e.hook as Json | undefined)?.app_id)), 42);
  // An App's ping (sent when its webhook URL is saved) names the App and no repository; its hook lives
  // under /app/hook rather than under a repository.
  delete ping.repository;
  const hook = ping.hook as Json;
  for (const key of ['url', 'test_url', 'ping_url']) delete hook[key];
  Object.assign(hook, {
    type: 'App',
    app_id: Number(SAMPLE_APP_ID),
    events: ['pull_request'],
    config: { content_type: 'json', url: `https://${EXAMPLE_HOST}/github/webhook`, insecure_ssl: '0' },
    created_at: isoSeconds(at(-60)),
    updated_at: isoSeconds(at(-60)),
    deliveries_url: 'https://api.github.com/app/hook/deliveries',
  });

  const synchronize = pullRequestPayload('synchronize', { headSha: SHA.pushed, minute: 5 });
  Object.assign(synchronize, { before: SHA.opened, after: SHA.pushed });
  const labeled = pullRequestPayload('labeled', { headSha: SHA.pushed, minute: 6, labels: ['skip-diff'] });
  labeled.label = (labeled.pull_request as { labels: Json[] }).labels[0];

  return {
    'ping.json': githubDelivery('ping', ping, '6f0e1b40-f1d2-11f0-8a1e-4c3bd7f9e001', at(-60)),
    'pull-request-opened.json': githubDelivery('pull_request', pullRequestPayload('opened', { headSha: SHA.opened, minute: 0 }), '6f0e1b40-f1d2-11f0-8a1e-4c3bd7f9e042', at(0)),
    'pull-request-synchronize.json': githubDelivery('pull_request', synchronize, '9a4c7e20-f1d3-11f0-9b5c-2d8e6f1a0b42', at(5)),
    'pull-request-labeled.json': githubDelivery('pull_request', labeled, 'b31f6d80-f1d3-11f0-8c2a-7e9d1f4b6c42', at(6)),
    'pull-request-ready-for-review.json': githubDelivery('pull_request', pullRequestPayload('ready_for_review', { headSha: SHA.pushed, minute: 7 }), 'c52a8e10-f1d3-11f0-94f7-1b6e3a9d2f42', at(7)),
    'pull-request-closed-merged.json': githubDelivery('pull_request', pullRequestPayload('closed', { headSha: SHA.pushed, minute: 30, merged: true }), 'e7d94b60-f1d4-11f0-8e3b-5a2c9f7d1e42', at(30)),
    'pull-request-opened-fork.json': githubDelivery(
      'pull_request',
      pullRequestPayload('opened', { number: 43, headSha: SHA.fork, minute: 10, title: 'podinfo: add a HorizontalPodAutoscaler', forkOwner: 'contributor' }),
      'f18c2a30-f1d3-11f0-8d4e-3c7b9e2f5a43',
      at(10),
    ),
    'slack-flux-diff-click.json': slackRequest('/slack/interactions', { payload: JSON.stringify(fluxDiffClick()) }, at(2), 'Ka9dQhPLvHcEJwA='),
    'slack-flux-help.json': slashCommand('help', { triggerId: '8123456789013.1234567890123.5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789013/Qm7xV2pLk9Rt4YwZ1nB6cH3d' }, at(3), 'Kb2eRiPLvHcEKxB='),
    'slack-flux-history.json': slashCommand('history podinfo', { triggerId: '8123456789014.1234567890123.6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789014/Rn8yW3qMl0Su5ZxA2oC7dI4e' }, at(41), 'Kf6iVmTPzLgIObF='),
    'slack-flux-list.json': slashCommand('list', { triggerId: '8123456789015.1234567890123.7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789015/So9zX4rNm1Tv6AyB3pD8eJ5f' }, at(42), 'Kg7jWnUQaMhJPcG='),
    'slack-flux-get-ks.json': slashCommand('get ks -A', { triggerId: '8123456789016.1234567890123.8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789016/Tp0aY5sOn2Uw7BzC4qE9fK6g' }, at(43), 'Kh8kXoVRbNiKQdH='),
    ...fluxEvents(),
  };
}

export function renderEvent(event: APIGatewayProxyEventV2): string {
  return `${JSON.stringify(event, null, 2)}\n`;
}

function main(args: string[]): number {
  const check = args.includes('--check');
  const stale: string[] = [];
  for (const [file, event] of Object.entries(buildSampleEvents())) {
    const path = join(EVENTS_DIR, file);
    const text = renderEvent(event);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // a missing file is simply stale
    }
    if (current === text) continue;
    stale.push(file);
    if (!check) writeFileSync(path, text);
  }
  if (check && stale.length) {
    console.error(`events/ is out of date (${stale.join(', ')}): run npx tsx scripts/make-events.ts`);
    return 1;
  }
  console.log(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}` : 'events/ is up to date');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
