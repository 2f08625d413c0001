import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Octokit } from '@octokit/core';
import { githubAppManifest, githubWebUrlOf } from './github-manifest';
import { storeInEnvFile, storeInSsm, type GithubAppCredentials } from './github-app-store';
import type { SetupIo } from './io';

const USAGE = 'Usage: npm run setup -- github (--url https://<api> [--stage S] | --webhook-proxy-url https://smee.io/<channel>) [--org ORG] [--env-file .env] [--name Fluxline] [--port 3333]';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><meta charset="utf-8"><title>Fluxline setup</title><body style="font-family:sans-serif;max-width:40em;margin:3em auto">${body}</body>`);
}

/** Why a conversion failed, in words the user can act on. GitHub's codes last one hour and work once. */
function conversionProblem(err: unknown, local: string): string {
  const status = (err as { status?: number }).status;
  const message = (err as { response?: { data?: { message?: string } } }).response?.data?.message ?? (err as Error).message;
  if (status === 404) return `GitHub does not know this code (it expired after an hour, or was already used). The App may exist already: delete it under Developer settings → GitHub Apps, then open ${local} again.`;
  if (status === 422) return `GitHub refused to create the App from the manifest: ${message}. Fix what it names (a name already taken: --name) and open ${local} again.`;
  return `Could not convert the code (${status ? `HTTP ${status}: ` : ''}${message}); open ${local} again.`;
}

/**
 * `npm run setup -- github`: GitHub's App manifest flow. A local page posts the manifest to GitHub (the
 * user reviews it and clicks "Create GitHub App"), GitHub redirects back here with a code, the code is
 * converted into the App's id, private key and webhook secret, and those are stored where the deployment
 * reads them. The key is never printed.
 */
export async function setupGithub(args: string[], io: SetupIo): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, 'webhook-proxy-url': { type: 'string' }, org: { type: 'string' }, stage: { type: 'string' }, 'env-file': { type: 'string' }, name: { type: 'string' }, port: { type: 'string' } }, strict: true });
  const proxy = values['webhook-proxy-url'];
  if (!values.url && !proxy) {
    io.err(`--url is required: the deployment's BaseUrl (npm run urls), where GitHub sends the webhook; or --webhook-proxy-url, a smee.io channel npm start listens on.\n${USAGE}\n`);
    return 2;
  }
  if (proxy && values.stage) {
    io.err(`--webhook-proxy-url is for a local run (npm start, .env): a deployed stage's webhook goes to its --url.\n${USAGE}\n`);
    return 2;
  }
  if (values.stage && values['env-file']) {
    io.err(`Pass --stage (SSM parameters of a deployment) or --env-file (a local run), not both.\n${USAGE}\n`);
    return 2;
  }
  if (values.stage && !/^[a-zA-Z0-9-]+$/.test(values.stage)) {
    io.err(`--stage ${JSON.stringify(values.stage)} is not a serverless stage name (letters, digits, -).\n`);
    return 2;
  }
  // GitHub wants a homepage too: the deployment, else the channel.
  const url = values.url ?? proxy ?? '';
  const store = values.stage
    ? { where: `the SSM parameters of stage ${values.stage}`, save: (app: GithubAppCredentials) => storeInSsm(io.env, values.stage ?? '', app) }
    : { where: resolve(io.cwd, values['env-file'] ?? '.env'), save: (app: GithubAppCredentials) => storeInEnvFile(resolve(io.cwd, values['env-file'] ?? '.env'), app, proxy ? { WEBHOOK_PROXY_URL: proxy } : {}) };
  const state = randomBytes(16).toString('hex');
  const github = new Octokit({ ...(io.env.GITHUB_API_URL ? { baseUrl: io.env.GITHUB_API_URL.replace(/\/+$/, '') } : {}), userAgent: 'fluxline-setup' });
  const web = githubWebUrlOf(io.env.GITHUB_API_URL);
  const newAppUrl = `${web}${values.org ? `/organizations/${encodeURIComponent(values.org)}` : ''}/settings/apps/new?state=${state}`;

  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((done) => (finish = done));
  let local = '';
  let manifest = '';

  async function callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    // The state ties the redirect to the page this run served: anything else is not our App's code.
    if (query.get('state') !== state || !query.get('code')) return page(res, 400, `<p>This link is not from this setup run. Open <a href="${local}">${local}</a>.</p>`);
    let app: GithubAppCredentials & { slug: string; htmlUrl: string };
    try {
      const { data } = await github.request('POST /app-manifests/{code}/conversions', { code: query.get('code') ?? '' });
      if (!data.pem || !data.webhook_secret) throw new Error('GitHub answered without a private key or webhook secret');
      app = { appId: String(data.id), privateKey: data.pem, webhookSecret: data.webhook_secret, slug: data.slug ?? '', htmlUrl: data.html_url };
    } catch (err) {
      const problem = conversionProblem(err, local);
      io.err(`${problem}\n`);
      page(res, 502, `<p>${escapeHtml(problem)}</p>`);
      finish(1);
      return;
    }
    try {
      const stored = await store.save(app);
      io.out(`Created the GitHub App ${app.slug} (id ${app.appId}); stored ${stored.join(', ')} in ${store.where}. The private key was not printed.\n`);
      io.out(`Next: install it on the GitOps repository and the repositories of config.yaml: ${app.htmlUrl}/installations/new\n`);
      page(res, 200, `<p>Created <b>${escapeHtml(app.slug)}</b> and stored its credentials in ${escapeHtml(store.where)}.</p><p><a href="${escapeHtml(app.htmlUrl)}/installations/new">Install it on your repositories</a>.</p>`);
      finish(0);
    } catch (err) {
      // The App exists and GitHub will not hand out this key again: say so, and how to get a new one.
      const problem = `The App ${app.slug} (id ${app.appId}) was created, but its credentials could not be stored in ${store.where}: ${(err as Error).message}. Generate a new private key on ${app.htmlUrl} and store it as README "Deploying" step 5 shows.`;
      io.err(`${problem}\n`);
      page(res, 500, `<p>${escapeHtml(problem)}</p>`);
      finish(1);
    }
  }

  const server = createServer((req, res) => {
    const requestUrl = new URL(req.url ?? '/', local);
    if (req.method === 'GET' && requestUrl.pathname === '/') {
      // The manifest flow is a form POST from the user's browser to GitHub (GitHub has no API for it).
      return page(res, 200, `<p>Creating the GitHub App for ${escapeHtml(url)}${values.org ? ` in ${escapeHtml(values.org)}` : ''}…</p><form id="create" action="${escapeHtml(newAppUrl)}" method="post"><input type="hidden" name="manifest" value="${escapeHtml(manifest)}"><button>Create the GitHub App on GitHub</button></form><script>document.getElementById('create').submit()</script>`);
    }
    if (req.method === 'GET' && requestUrl.pathname === '/callback') {
      callback(req, res, requestUrl.searchParams).catch((err: unknown) => {
        io.err(`${(err as Error).message}\n`);
        finish(1);
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(Number(values.port ?? 3333), '127.0.0.1', () => listening());
  });
  local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    manifest = JSON.stringify(githubAppManifest({ url, ...(proxy ? { webhookUrl: proxy } : {}), redirectUrl: `${local}/callback`, ...(values.name ? { name: values.name } : {}) }));
  } catch (err) {
    server.close();
    throw err;
  }
  io.out(`Open ${local} in your browser: it sends the App manifest to GitHub${values.org ? ` (organization ${values.org})` : ''}; click "Create GitHub App" there.\n`);
  io.onListening?.(local);
  try {
    return await finished;
  } finally {
    server.closeIdleConnections();
    await new Promise<void>((closed) => server.close(() => closed()));
  }
}
