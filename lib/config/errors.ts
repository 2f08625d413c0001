export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** The config file parsed but does not match the schema; `problems` lists every bad key with its path. */
export class InvalidConfig extends ConfigError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid Fluxline config in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfig';
  }
}

export class MissingEnvironmentVariable extends ConfigError {
  constructor(
    readonly variable: string,
    hint: string,
  ) {
    super(`${variable} is not set: ${hint}`);
    this.name = 'MissingEnvironmentVariable';
  }
}
