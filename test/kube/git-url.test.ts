import { describe, expect, it } from 'vitest';
import { parseGitUrl } from '../../lib/adapters/kube';

describe('parseGitUrl', () => {
  it.each([
    ['https', 'https://github.com/acme/fleet', 'github.com', 'acme/fleet'],
    ['https with .git', 'https://github.com/acme/fleet.git', 'github.com', 'acme/fleet'],
    ['https with a trailing slash', 'https://github.com/acme/fleet/', 'github.com', 'acme/fleet'],
    ['https with credentials', 'https://x-access-token:abc@github.com/acme/fleet.git', 'github.com', 'acme/fleet'],
    ['GitHub Enterprise Server', 'https://ghe.corp.example/platform/fleet-infra.git', 'ghe.corp.example', 'platform/fleet-infra'],
    ['ssh', 'ssh://git@github.com/acme/fleet', 'github.com', 'acme/fleet'],
    ['ssh with .git and a port', 'ssh://git@ghe.corp.example:2222/platform/fleet.git', 'ghe.corp.example', 'platform/fleet'],
    ['scp-like', 'git@github.com:acme/fleet.git', 'github.com', 'acme/fleet'],
    ['scp-like without .git', 'git@GHE.corp.example:Acme/Fleet', 'ghe.corp.example', 'Acme/Fleet'],
    ['a repository name with dots', 'https://github.com/acme/fleet.infra.git', 'github.com', 'acme/fleet.infra'],
  ])('reads owner/repo and host from %s', (_, url, host, repository) => {
    expect(parseGitUrl(url)).toEqual({ host, repository });
  });

  it.each([
    ['a GitLab subgroup path', 'https://gitlab.com/group/sub/repo.git', 'gitlab.com'],
    ['an owner without repository', 'https://github.com/acme', 'github.com'],
    ['a bucket URL', 's3://bucket/path', undefined],
    ['garbage', 'not a url', undefined],
  ])('finds no GitHub repository in %s', (_, url, host) => {
    expect(parseGitUrl(url)).toEqual({ host, repository: undefined });
  });
});
