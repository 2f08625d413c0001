/** Where a Git URL points: the host (GitHub.com or a GitHub Enterprise Server) and `owner/repo`. */
export interface GitUrlParts {
  /** Lowercase host name, without port or credentials. */
  host: string | undefined;
  /** `owner/repo` when the path has exactly two segments (a GitHub repository); else undefined. */
  repository: string | undefined;
}

/**
 * Parses the URL forms a GitRepository's spec.url takes: `https://host/owner/repo(.git)`,
 * `ssh://git@host(:port)/owner/repo(.git)` and, written by hand, scp-like `git@host:owner/repo(.git)`.
 */
export function parseGitUrl(url: string): GitUrlParts {
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { host: scp[1]?.toLowerCase(), repository: ownerRepo(scp[2] ?? '') };
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'ssh:', 'git:'].includes(parsed.protocol) || !parsed.hostname) return { host: undefined, repository: undefined };
    return { host: parsed.hostname.toLowerCase(), repository: ownerRepo(decodeURIComponent(parsed.pathname)) };
  } catch {
    return { host: undefined, repository: undefined };
  }
}

function ownerRepo(path: string): string | undefined {
  const segments = path.split('/').filter(Boolean);
  if (segments.length !== 2) return undefined;
  const [owner = '', repo = ''] = segments;
  const name = repo.replace(/\.git$/, '');
  return owner && name ? `${owner}/${name}` : undefined;
}

/** The URL with any password replaced, fit for a message: `https://user:token@host/...` happens. */
export function redactGitUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):[^@/\s]*@/i, '$1:***@');
}
