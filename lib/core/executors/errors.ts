/** An executor will not run what was asked (a verb or namespace not allowed, a refused flag): shown to the user as written. */
export class ExecutorRefusal extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecutorRefusal';
  }
}
