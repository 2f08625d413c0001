/**
 * The sample world of events/ and of the local GitHub stand-in `npm start` runs: repository acme/fleet
 * (laid out like Flux's flux2-kustomize-helm-example), its GitHub App installation, and the files each
 * sample pull request changes. config.example.yaml watches `^clusters/` and `^apps/` and ignores `\.md$`.
 */

export const SAMPLE_REPOSITORY = 'acme/fleet';
export const SAMPLE_INSTALLATION_ID = 4242;
/** The App ID of the local stand-in (GitHub App IDs are numbers). */
export const SAMPLE_APP_ID = '424242';

export interface SampleFile {
  filename: string;
  status: 'added' | 'modified' | 'removed';
}

/** What each sample PR changes, by PR number; the payloads' additions/deletions agree with these. */
export const SAMPLE_PULL_REQUEST_FILES: Readonly<Record<number, readonly SampleFile[]>> = {
  // PR #42 (acme/fleet branch bump-podinfo): a chart bump plus its docs; the .md file is ignored by the rules.
  42: [
    { filename: 'apps/base/podinfo/release.yaml', status: 'modified' },
    { filename: 'apps/staging/podinfo-values.yaml', status: 'modified' },
    { filename: 'docs/podinfo.md', status: 'modified' },
  ],
  // PR #43 (from the fork contributor/fleet): adds an autoscaler.
  43: [
    { filename: 'apps/base/podinfo/hpa.yaml', status: 'added' },
    { filename: 'apps/base/podinfo/kustomization.yaml', status: 'modified' },
  ],
};

/** The line counts GitHub's files API reports (and the local stand-in returns) for a file of this status. */
export function lineCounts(status: SampleFile['status']): { additions: number; deletions: number } {
  return status === 'added' ? { additions: 3, deletions: 0 } : status === 'removed' ? { additions: 0, deletions: 3 } : { additions: 2, deletions: 1 };
}

/**
 * The Kustomization config.example.yaml diffs (`flux-system/apps` on cluster `local`), as `npm start`'s
 * Kubernetes stand-in serves it: it builds `path` of the GitRepository `source`, which is acme/fleet.
 */
export const SAMPLE_KUSTOMIZATION = { namespace: 'flux-system', name: 'apps', path: 'clusters/local', source: 'flux-system' } as const;
export const SAMPLE_REPOSITORY_URL = 'https://github.com/acme/fleet.git';

/**
 * What the stand-in flux answers for every sample PR head (test/fakes/flux/README.md, "Scenarios"): it
 * replays test/fixtures/flux-diff/drifted-service.golden, 6 created, 1 drifted, 0 deleted.
 */
export const SAMPLE_SCENARIO = 'changes drifted-service';
