import { parseFluxCli, type FluxCliCommand, type FluxKind } from '../../core/commands/flux-cli';
// The files themselves, not the adapter's index: its diff-report side (the yaml library) must stay out of the Slack ingress bundle.
import { InvalidFluxArgument } from '../../adapters/flux/errors';
import { isDns1123Label, isDns1123Subdomain } from '../../adapters/flux/kubernetes-names';

/** How flux names each kind on its command line (flux2 cmd/flux: the `ks`/`hr` aliases and `source <type>`). */
const KIND_ARGS: Record<FluxKind, string[]> = {
  Kustomization: ['ks'],
  HelmRelease: ['hr'],
  GitRepository: ['source', 'git'],
  HelmRepository: ['source', 'helm'],
  OCIRepository: ['source', 'oci'],
};

function name(value: string, what: string): string {
  if (!isDns1123Subdomain(value)) throw new InvalidFluxArgument(what, value, 'must be a DNS-1123 subdomain');
  return value;
}

function namespace(value: string): string[] {
  if (!isDns1123Label(value)) throw new InvalidFluxArgument('namespace', value, 'must be a DNS-1123 label');
  return ['-n', value];
}

/**
 * argv for flux, built from the typed command only: each value is re-validated as a Kubernetes name, so
 * none can start with `-` and be read as a flag. No connection flag is ever added: flux gets its
 * cluster from KUBECONFIG, which the worker writes. The same words parse back to the command
 * (`commandOfArgs`), which is how a queued job carries it.
 */
export function buildFluxArgs(command: FluxCliCommand): string[] {
  switch (command.verb) {
    case 'get': {
      const kind = command.kind === 'GitRepository' || command.kind === 'HelmRepository' || command.kind === 'OCIRepository' ? ['sources', ...(KIND_ARGS[command.kind].slice(1))] : KIND_ARGS[command.kind];
      return ['get', ...kind, ...(command.name ? [name(command.name, `${command.kind} name`)] : []), ...(command.allNamespaces ? ['-A'] : namespace(command.namespace)), ...(command.showSource ? ['--show-source'] : [])];
    }
    case 'reconcile':
      return ['reconcile', ...KIND_ARGS[command.kind], name(command.name, `${command.kind} name`), ...namespace(command.namespace), ...(command.withSource ? ['--with-source'] : [])];
    case 'suspend':
    case 'resume':
    case 'tree':
      return [command.verb, ...KIND_ARGS[command.kind], name(command.name, `${command.kind} name`), ...namespace(command.namespace)];
    case 'events': {
      const target = command.for ? ['--for', command.for.name ? `${command.for.kind}/${name(command.for.name, `${command.for.kind} name`)}` : command.for.kind] : [];
      return ['events', ...target, ...(command.allNamespaces ? ['-A'] : namespace(command.namespace))];
    }
  }
}

/** The command a stored argv stands for, through the same grammar that parsed the user's text. */
export function commandOfArgs(args: string[]): FluxCliCommand {
  const [verb = '', ...words] = args;
  return parseFluxCli(verb, words, args.join(' '));
}

/** `flux get ks -A`, as shown to people. */
export function describeCommand(command: FluxCliCommand): string {
  return ['flux', ...buildFluxArgs(command)].join(' ');
}
