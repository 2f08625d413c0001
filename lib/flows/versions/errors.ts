/** Failures of `/flux list` and `/flux diff <env>`; the message is shown to the requester as is. */
export class VersionsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VersionsError';
  }
}

/** Environments are the cluster names of config.yaml. */
export class UnknownEnvironment extends VersionsError {
  constructor(
    readonly environment: string,
    readonly known: string[],
  ) {
    super(`Unknown environment \`${environment}\`. Environments are the clusters of config.yaml: ${known.map((c) => `\`${c}\``).join(', ') || 'none configured'}.`);
    this.name = 'UnknownEnvironment';
  }
}

/** `apps.namespaces` is empty: there is nowhere to look for Deployments. */
export class NoAppNamespaces extends VersionsError {
  constructor() {
    super('No namespaces to look in: list the namespaces of your apps under `apps.namespaces` in config.yaml, e.g. `apps: { namespaces: [podinfo] }`.');
    this.name = 'NoAppNamespaces';
  }
}

/** A cluster that did not answer within the read limit; `/flux list` shows it as unreachable. */
export class ClusterTimeout extends VersionsError {
  constructor(ms: number) {
    super(`no answer within ${Math.round(ms / 1000)} s`);
    this.name = 'ClusterTimeout';
  }
}
