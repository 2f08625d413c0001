import type { DiffTarget, RepositoryRule } from './schema';

/** The rules of one repository; GitHub names are case-insensitive (`Acme/Fleet` is `acme/fleet`). */
export function findRepositoryRule(repositories: readonly RepositoryRule[], fullName: string): RepositoryRule | undefined {
  const wanted = fullName.toLowerCase();
  return repositories.find((repo) => repo.name.toLowerCase() === wanted);
}

/** Whether `repositories[].diffs` of this rule names the target: what a diff button or a non-admin's `/flux diff ks` may run. */
export function isConfiguredDiffTarget(rule: RepositoryRule, target: DiffTarget): boolean {
  return rule.diffs.some((diff) => diff.kustomization === target.kustomization && diff.cluster === target.cluster);
}
