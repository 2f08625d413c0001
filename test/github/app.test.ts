import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubApp, getPullRequest, GithubError } from '../../lib/adapters/github';
import { addPullRequest, INSTALLATION, seen, startHarness, type Harness } from './harness';

describe('GitHub App authentication', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.github.stop();
  });

  it('looks up the installation with the app JWT, exchanges it for an installation token and calls the repository with that token', async () => {
    // Prepare
    addPullRequest(h.github, 7);

    // Act
    const client = await h.app.forRepository('acme', 'fleet');
    const pr = await getPullRequest(client, { owner: 'acme', repo: 'fleet', number: 7 });

    // Assess
    expect(pr.number).toBe(7);
    expect(seen(h.github)).toEqual([
      'GET /repos/acme/fleet/installation (jwt)',
      `POST /app/installations/${INSTALLATION}/access_tokens (jwt)`,
      'GET /repos/acme/fleet/pulls/7 (installation)',
    ]);
    expect(h.github.requests[0]?.userAgent).toMatch(/^fluxline-github-app /);
  });

  it('reuses the installation lookup and the installation token for later calls', async () => {
    // Prepare
    addPullRequest(h.github, 7);

    // Act
    for (let i = 0; i < 3; i++) {
      const client = await h.app.forRepository('Acme', 'Fleet');
      await getPullRequest(client, { owner: 'acme', repo: 'fleet', number: 7 });
    }
    await getPullRequest(h.app.forInstallation(INSTALLATION), { owner: 'acme', repo: 'fleet', number: 7 });

    // Assess
    expect(seen(h.github, /installation/)).toHaveLength(2);
    expect(seen(h.github, /pulls\/7$/)).toHaveLength(4);
  });

  it('throws AppNotInstalled for a repository the app is not installed on', async () => {
    // Act
    const failure = h.app.forRepository('someone', 'else');

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'AppNotInstalled', repository: 'someone/else' });
    await expect(failure).rejects.toThrow(/not installed on someone\/else/);
  });

  it('looks the installation up again after a failed lookup, once the app is installed', async () => {
    // Prepare
    addPullRequest(h.github, 7, [], { repository: 'acme/late' });
    await expect(h.app.forRepository('acme', 'late')).rejects.toMatchObject({ name: 'AppNotInstalled' });
    h.github.installations.set('acme/late', INSTALLATION);

    // Act
    const client = await h.app.forRepository('acme', 'late');

    // Assess
    expect((await getPullRequest(client, { owner: 'acme', repo: 'late', number: 7 })).repository).toBe('acme/late');
  });

  it('binds an installation client to its installation: a repository of another installation is not found', async () => {
    // Prepare
    h.github.installations.set('other/repo', 9999);
    addPullRequest(h.github, 3, [], { repository: 'other/repo' });

    // Act
    const failure = getPullRequest(h.app.forInstallation(INSTALLATION), { owner: 'other', repo: 'repo', number: 3 });

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'PullRequestNotFound' });
  });

  it('fails with AppAuthFailed when GitHub rejects the JWT (key of another app)', async () => {
    // Prepare
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const app = createGithubApp({ appId: h.appId, privateKey, apiUrl: h.github.url, policy: { retryBaseMs: 10 } });

    // Act
    const failure = app.forRepository('acme', 'fleet');

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'AppAuthFailed' });
    expect(seen(h.github)).toEqual(['GET /repos/acme/fleet/installation (jwt)']);
  });

  it('accepts an API URL with a trailing slash, as GitHub Enterprise URLs are often written', async () => {
    // Prepare
    addPullRequest(h.github, 7);
    const app = createGithubApp({ appId: h.appId, privateKey: h.privateKey, apiUrl: `${h.github.url}/`, policy: { retryBaseMs: 10 } });

    // Act
    const pr = await getPullRequest(await app.forRepository('acme', 'fleet'), { owner: 'acme', repo: 'fleet', number: 7 });

    // Assess
    expect(pr.number).toBe(7);
    expect(seen(h.github).every((line) => !line.includes('//'))).toBe(true);
  });

  it.each([
    ['GITHUB_PRIVATE_KEY', { privateKey: 'not-a-key-secret-value' }],
    ['GITHUB_API_URL', { apiUrl: 'api.github.com' }],
    ['GITHUB_APP_ID', { appId: ' ' }],
  ])('refuses an invalid %s at creation, without echoing the value', (variable, override) => {
    // Prepare
    const options = { appId: h.appId, privateKey: h.privateKey, apiUrl: h.github.url, ...override };

    // Act
    const create = () => createGithubApp(options);

    // Assess
    expect(create).toThrow(GithubError);
    expect(create).toThrow(variable);
    expect(create).not.toThrow(/not-a-key-secret-value|BEGIN/);
  });
});
