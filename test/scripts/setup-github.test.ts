import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseDotenv } from 'dotenv';
import { runSetup } from '../../scripts/setup/cli';
import { GITHUB_ROUTE_PERMISSIONS, githubAppManifest, githubAppPermissions, githubWebUrlOf } from '../../scripts/setup/github-manifest';
import { githubParameterNames } from '../../scripts/setup/github-app-store';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../fakes/github';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';
import { fakeAwsEnv } from '../fakes/sqs';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every GitHub REST route the shipped code calls (`octokit.request('GET /repos/…')`), as a reviewer would grep them. */
function githubRoutesCalled(): Set<string> {
  const routes = new Set<string>();
  for (const file of ['lib', 'functions'].flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/'((?:GET|POST|PUT|PATCH|DELETE) \/[\w/{}.-]+)'/g)) routes.add(match[1] ?? '');
  }
  return routes;
}

describe('the GitHub App manifest', () => {
  it('finds the routes it is checking (the scan itself works)', () => {
    expect([...githubRoutesCalled()]).toEqual(expect.arrayContaining(['GET /repos/{owner}/{repo}/tarball/{ref}', 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments']));
  });

  it('has a permission entry for every GitHub route the code calls, and none for a route it no longer calls', () => {
    const called = githubRoutesCalled();
    expect([...called].filter((route) => !(route in GITHUB_ROUTE_PERMISSIONS)), 'add these routes and their permission to GITHUB_ROUTE_PERMISSIONS').toEqual([]);
    expect(Object.keys(GITHUB_ROUTE_PERMISSIONS).filter((route) => !called.has(route))).toEqual([]);
  });

  it('asks for exactly the permissions and events Fluxline uses', () => {
    const manifest = githubAppManifest({ url: 'https://fluxline.acme.dev', redirectUrl: 'http://127.0.0.1:3333/callback' });

    expect(githubAppPermissions()).toEqual({ metadata: 'read', checks: 'write', contents: 'write', pull_requests: 'write' });
    expect(manifest).toMatchObject({
      hook_attributes: { url: 'https://fluxline.acme.dev/github/webhook', active: true },
      redirect_url: 'http://127.0.0.1:3333/callback',
      public: false,
      default_permissions: { metadata: 'read', checks: 'write', contents: 'write', pull_requests: 'write' },
      default_events: ['check_run', 'pull_request'],
    });
  });

  it.each([
    [undefined, 'https://github.com'],
    ['https://api.github.com', 'https://github.com'],
    ['https://ghe.acme.dev/api/v3', 'https://ghe.acme.dev'],
  ])('sends the manifest to the web address of %s', (api, web) => {
    expect(githubWebUrlOf(api)).toBe(web);
  });
});

describe('npm run setup -- github', () => {
  let github: FakeGithub;
  let ssm: FakeSsm;

  beforeAll(async () => {
    github = await startFakeGithub({ appId: '1', publicKey: generateAppKeyPair().publicKey });
    ssm = await startFakeSsm();
  });
  afterAll(async () => {
    await github.stop();
    await ssm.stop();
  });

  /** Runs the command and plays the browser: opens the local page, reads the manifest its form posts, and follows GitHub's redirect. */
  async function createApp(args: string[], github_: { code?: (manifest: Record<string, unknown>) => string; state?: string } = {}) {
    const cwd = mkdtempSync(join(tmpdir(), 'fluxline-setup-github-'));
    const printed = { out: '', err: '' };
    let listening: (url: string) => void = () => undefined;
    const local = new Promise<string>((r) => (listening = r));
    const where = args.includes('--webhook-proxy-url') ? [] : ['--url', 'https://fluxline.acme.dev'];
    const done = runSetup(['github', ...where, '--port', '0', ...args], {
      env: { GITHUB_API_URL: github.url, ...fakeAwsEnv({ ssm: ssm.url }) },
      cwd,
      out: (t) => (printed.out += t),
      err: (t) => (printed.err += t),
      onListening: listening,
    });
    const base = await local;
    const html = await (await fetch(base)).text();
    const form = /<form id="create" action="([^"]+)" method="post"><input type="hidden" name="manifest" value="([^"]*)">/.exec(html);
    const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const action = new URL(unescape(form?.[1] ?? ''));
    const manifest = JSON.parse(unescape(form?.[2] ?? '{}')) as Record<string, unknown>;
    const code = github_.code ? github_.code(manifest) : github.appManifests.issueCode(manifest);
    const redirect = new URL(String(manifest.redirect_url));
    redirect.search = new URLSearchParams({ code, state: github_.state ?? action.searchParams.get('state') ?? '' }).toString();
    const landing = await fetch(redirect);
    return { exit: await done, printed, cwd, action, manifest, landing: { status: landing.status, html: await landing.text() } };
  }

  it('creates the App from the manifest and stores id, key and webhook secret in the stage\'s SSM parameters, never printing the key', async () => {
    // Act
    const { exit, printed, action, manifest } = await createApp(['--stage', 'prod', '--org', 'acme']);

    // Assess
    expect(exit).toBe(0);
    expect(action.origin + action.pathname).toBe(`${github.url.replace(/\/+$/, '')}/organizations/acme/settings/apps/new`);
    expect(manifest).toMatchObject({ hook_attributes: { url: 'https://fluxline.acme.dev/github/webhook' }, default_events: ['check_run', 'pull_request'] });
    const app = github.appManifests.created.at(-1);
    const names = githubParameterNames('prod');
    expect(ssm.get(names.appId)).toEqual({ value: String(app?.id), type: 'String' });
    expect(ssm.get(names.privateKey)).toEqual({ value: app?.pem, type: 'SecureString' });
    expect(ssm.get(names.webhookSecret)).toEqual({ value: app?.webhookSecret, type: 'SecureString' });
    expect(printed.out + printed.err).not.toContain('PRIVATE KEY');
    expect(printed.out + printed.err).not.toContain(app?.webhookSecret);
    expect(printed.out).toMatch(/installations\/new/);
  });

  it('uses the parameter names serverless.yml gives the functions', () => {
    const yml = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
    const names = githubParameterNames('${sls:stage}');
    expect(yml).toContain(`githubAppIdParam: ${names.appId}`);
    expect(yml).toContain(`githubPrivateKeyParam: ${names.privateKey}`);
    expect(yml).toContain(`githubWebhookSecretParam: ${names.webhookSecret}`);
  });

  it('writes a .env for a local run, keeping its other lines, readable by its owner only', async () => {
    // Prepare: an existing .env with an old App id
    const cwd = mkdtempSync(join(tmpdir(), 'fluxline-setup-env-'));
    writeFileSync(join(cwd, 'local.env'), 'SLACK_BOT_TOKEN=xoxb-keep\nGITHUB_APP_ID=1\n');

    // Act
    const { exit, printed } = await createApp(['--env-file', join(cwd, 'local.env')]);

    // Assess
    expect(exit).toBe(0);
    const app = github.appManifests.created.at(-1);
    const env = parseDotenv(readFileSync(join(cwd, 'local.env')));
    expect(env).toEqual({ SLACK_BOT_TOKEN: 'xoxb-keep', GITHUB_APP_ID: String(app?.id), GITHUB_PRIVATE_KEY: app?.pem, GITHUB_WEBHOOK_SECRET: app?.webhookSecret });
    expect(statSync(join(cwd, 'local.env')).mode & 0o777).toBe(0o600);
    expect(printed.out).not.toContain('PRIVATE KEY');
  });

  it('points the webhook of an App for npm start at a smee channel, and writes WEBHOOK_PROXY_URL beside its credentials', async () => {
    // Prepare
    const cwd = mkdtempSync(join(tmpdir(), 'fluxline-setup-proxy-'));

    // Act
    const { exit, manifest } = await createApp(['--webhook-proxy-url', 'https://smee.io/fluxlineDev42', '--env-file', join(cwd, '.env')]);

    // Assess
    expect(exit).toBe(0);
    expect(manifest).toMatchObject({ hook_attributes: { url: 'https://smee.io/fluxlineDev42', active: true } });
    const app = github.appManifests.created.at(-1);
    expect(parseDotenv(readFileSync(join(cwd, '.env')))).toEqual({ GITHUB_APP_ID: String(app?.id), GITHUB_PRIVATE_KEY: app?.pem, GITHUB_WEBHOOK_SECRET: app?.webhookSecret, WEBHOOK_PROXY_URL: 'https://smee.io/fluxlineDev42' });
  });

  it('refuses a smee channel for a deployed stage: its webhook goes to the deployment', async () => {
    const printed = { out: '', err: '' };
    const exit = await runSetup(['github', '--webhook-proxy-url', 'https://smee.io/x', '--stage', 'prod'], { env: {}, cwd: tmpdir(), out: (t) => (printed.out += t), err: (t) => (printed.err += t) });

    expect(exit).toBe(2);
    expect(printed.err).toMatch(/--webhook-proxy-url is for a local run/);
  });

  it('says the code expired (404) and stores nothing', async () => {
    const before = github.appManifests.created.length;

    const { exit, printed, landing } = await createApp(['--stage', 'expired'], { code: (manifest) => github.appManifests.issueCode(manifest, { issuedAt: Date.now() - 3_601_000 }) });

    expect(exit).toBe(1);
    expect(printed.err).toMatch(/does not know this code \(it expired after an hour, or was already used\)/);
    expect(landing.status).toBe(502);
    expect(github.appManifests.created.length).toBe(before);
    expect(ssm.get(githubParameterNames('expired').appId)).toBeUndefined();
  });

  it('says GitHub refused the conversion (422) and stores nothing', async () => {
    github.failNext({ method: 'POST', path: /^\/app-manifests\/\w+\/conversions$/ }, [{ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Integration', code: 'custom', field: 'name', message: 'Name is already in use' }], documentation_url: 'https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest', status: '422' } }]);

    const { exit, printed } = await createApp(['--stage', 'refused']);

    expect(exit).toBe(1);
    expect(printed.err).toMatch(/GitHub refused to create the App from the manifest: Validation Failed/);
    expect(ssm.get(githubParameterNames('refused').appId)).toBeUndefined();
  });

  it('converts a code once: GitHub answers 404 to the second conversion', async () => {
    let used = '';
    await createApp(['--stage', 'once'], { code: (manifest) => (used = github.appManifests.issueCode(manifest)) });

    const { exit } = await createApp(['--stage', 'again'], { code: () => used });

    expect(exit).toBe(1);
    expect(ssm.get(githubParameterNames('again').appId)).toBeUndefined();
  });

  it.each([
    [['github'], /--url is required/],
    [['github', '--url', 'https://x.example.com', '--stage', 'prod', '--env-file', '.env'], /not both/],
    [['github', '--url', 'https://x.example.com', '--stage', 'prod/../x'], /not a serverless stage name/],
  ])('refuses %j before serving anything', async (args, reason) => {
    const printed = { out: '', err: '' };
    expect(await runSetup(args, { env: {}, cwd: tmpdir(), out: (t) => (printed.out += t), err: (t) => (printed.err += t) })).toBe(2);
    expect(printed.err).toMatch(reason);
  });
});
