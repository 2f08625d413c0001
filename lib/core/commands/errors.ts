/** A command the user typed that Fluxline cannot run; the message is shown to them as is. */
export class CommandError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CommandError';
  }
}

export class UnknownCommand extends CommandError {
  constructor(
    readonly word: string,
    readonly suggestion: string | undefined,
  ) {
    super(`\`/flux ${word}\` is not a Fluxline command.${suggestion ? ` Did you mean \`/flux ${suggestion}\`?` : ''} Try \`/flux help\`.`);
    this.name = 'UnknownCommand';
  }
}

/** A button value we did not write (edited, or from an older incompatible version). */
export class UnknownAction extends CommandError {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnknownAction';
  }
}
