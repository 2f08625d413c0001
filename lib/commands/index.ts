export { parseCommand, parseGithubRef, COMMAND_WORDS } from './parse';
export { helpText, AVAILABLE } from './help';
export { encodeAction, decodeAction, buttonActionSchema, type ButtonAction } from './actions';
export { tokenize } from './tokenize';
export { closest } from './closest';
export { FLUX_CLI_VERBS, type Command, type CommandKind, type GithubRef, type FluxCliVerb } from './command';
export { CommandError, UnknownCommand, UnknownAction } from './errors';
