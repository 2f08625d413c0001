import { HttpError } from '../http/errors';

/**
 * Fluxline is not set up right. A 500 whose first line is shown to the caller: it names a variable or a
 * config key and how to fix it, never a value, so the operator reading the delivery log can act on it.
 */
export class ConfigError extends HttpError {
  constructor(message: string, options?: ErrorOptions) {
    super(500, message, options);
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
