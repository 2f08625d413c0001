/** Base of every error the flux capability throws; a failed flux *run* is a value (FluxRun), not an error. */
export class FluxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FluxError';
  }
}

/**
 * An argument we were about to hand to the flux CLI is not what it claims to be. Raised before spawning,
 * so a value such as `--kubeconfig=/elsewhere` can never reach flux as a flag (DESIGN §5: users must
 * never be able to redirect the CLI to other credentials).
 */
export class InvalidFluxArgument extends FluxError {
  constructor(
    readonly argument: string,
    readonly value: string,
    why: string,
  ) {
    super(`invalid ${argument} ${JSON.stringify(value)} for flux: ${why}`);
    this.name = 'InvalidFluxArgument';
  }
}
