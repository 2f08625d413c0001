import type { RepositoryRule } from './schema';

/** The rules of one repository; GitHub names are case-insensitive (`Acme/Fleet` is `acme/fleet`). */
export function findRepositoryRule(repositories: readonly RepositoryRule[], fullName: string): RepositoryRule | undefined {
  const wanted = fullName.toLowerCase();
  return repositories.find((repo) => repo.name.toLowerCase() === wanted);
}
