export { parseCommand, parseGithubRef, COMMAND_WORDS } from './parse';
export { helpText } from './help';
export { encodeAction, encodeOptionValue, decodeAction, buttonActionSchema, type ButtonAction } from './actions';
export { tokenize } from './tokenize';
export { closest } from './closest';
export { FLUX_CLI_VERBS, type Command, type CommandKind, type GithubRef, type FluxCliVerb } from './command';
export {
  parseFluxCli,
  isMutation,
  FLUX_CLI_GRAMMAR,
  FLUX_KINDS,
  type FluxCliCommand,
  type MutatingFluxCliCommand,
  type FluxKind,
  type ReconcilableKind,
  type SuspendableKind,
} from './flux-cli';
export { CommandError, UnknownCommand, UnknownAction } from './errors';
