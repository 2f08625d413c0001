/** Failures of promote and rollback; `message` is shown in Slack as is and says what would work. */
export class PromoteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PromoteError';
  }
}

/** A request Fluxline declines on purpose (audited as `refused`, not `failed`). */
export class PromoteRefused extends PromoteError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PromoteRefused';
  }
}

export class GitopsNotConfigured extends PromoteRefused {
  constructor() {
    super('Promote and rollback need the GitOps repository: add `gitops: { repository: owner/repo, branch: main }` to config.yaml.');
    this.name = 'GitopsNotConfigured';
  }
}

/** Nothing under the environment's folder names the app: says where we looked and what we looked for. */
export class AppNotInRepository extends PromoteRefused {
  constructor(app: string, repository: string, branch: string, folder: string, fileCount: number) {
    super(
      `\`${app}\` was not found under \`${folder}/\` of ${repository}@${branch} (${fileCount} YAML file${fileCount === 1 ? '' : 's'} read): Fluxline looks for a HelmRelease named \`${app}\`, else an image ending in \`/${app}\` in a kustomization.yaml \`images:\` entry or a container \`image:\`. Check the app name, or the folder of this environment (\`gitops.paths\` in config.yaml).`,
    );
    this.name = 'AppNotInRepository';
  }
}

/** The app is named in several files: one commit must change one of them, and guessing is not an option. */
export class AmbiguousApp extends PromoteRefused {
  constructor(app: string, paths: string[]) {
    super(`\`${app}\` is set in several files: ${paths.map((p) => `\`${p}\``).join(', ')}. Point \`gitops.paths\` of this environment at a narrower folder, or change the version by hand.`);
    this.name = 'AmbiguousApp';
  }
}

/** The app's version is set only in a base the environment pulls in from outside its folder. */
export class VersionInBase extends PromoteRefused {
  constructor(app: string, folder: string, bases: string[]) {
    super(
      `The version of \`${app}\` lives in the base ${bases.map((p) => `\`${p}\``).join(', ')}, which \`${folder}/\` pulls in from outside: changing it there would change every environment built on that base. Add a patch of the version under \`${folder}/\` (a \`patches:\` entry of its kustomization.yaml) and promote again.`,
    );
    this.name = 'VersionInBase';
  }
}

/** The version the user named fits two readings (a chart version and an app version): Fluxline asks, it does not guess. */
export class VersionNeedsChoice extends PromoteRefused {
  constructor(
    app: string,
    version: string,
    readonly choices: { reading: string; write: string; why: string }[],
  ) {
    super(`\`${app}@${version}\` can be read ${choices.length} ways: ${choices.map((c) => c.why).join('; or ')}. Choose one with the buttons below.`);
    this.name = 'VersionNeedsChoice';
  }
}

/** The value that holds the version cannot be edited safely (a block scalar, a missing field…). */
export class VersionNotEditable extends PromoteRefused {
  constructor(path: string, reason: string) {
    super(`The version in \`${path}\` cannot be changed by Fluxline: ${reason}.`);
    this.name = 'VersionNotEditable';
  }
}

export class UnknownVersion extends PromoteRefused {
  constructor(app: string, version: string, known: string[]) {
    super(
      `\`${app}@${version}\` is not a version Fluxline has seen: a version can be promoted once it runs on a cluster or Flux reported it deployed. ${known.length ? `Known versions of \`${app}\`: ${known.map((v) => `\`${v}\``).join(', ')}.` : `No version of \`${app}\` is known yet (see \`/flux list ${app}\`).`}`,
    );
    this.name = 'UnknownVersion';
  }
}

export class NothingToRollBack extends PromoteRefused {
  constructor(app: string, environment: string, reason: string) {
    super(`Nothing to roll back to for \`${app}\` on \`${environment}\`: ${reason}. Rollback uses the history of successful deployments that Flux reports to Fluxline (its notification-controller events).`);
    this.name = 'NothingToRollBack';
  }
}
