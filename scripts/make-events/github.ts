import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { LOCAL_SECRETS, signGithubBody } from '../lib/signing';
import { lineCounts, SAMPLE_APP_ID, SAMPLE_INSTALLATION_ID, SAMPLE_PULL_REQUEST_FILES, SAMPLE_REPOSITORY } from '../lib/sample-fleet';
import { apiGatewayEvent, EXAMPLE_HOST } from './api-gateway';
import { at, isoSeconds, SHA, type Json } from './story';

/**
 * GitHub's deliveries of the sample story, built from GitHub's own example payloads
 * (@octokit/webhooks-examples) re-homed from Codertocat/Hello-World to acme/fleet.
 */

const [OWNER, REPO] = SAMPLE_REPOSITORY.split('/') as [string, string];

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

/** The GitHub samples, by file name under events/. */
export function githubEvents(): Record<string, APIGatewayProxyEventV2> {
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
  };
}
