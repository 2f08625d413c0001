import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository root, where serverless.yml is. */
export const ROOT = resolve(import.meta.dirname, '../..');

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  Condition?: string;
}

export interface Template {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * `serverless package` into a fresh directory, offline: no AWS credentials, and a made-up published flux
 * layer so the worker's layer is in the template without building or uploading one.
 */
export async function packageStack(stage: string, options: { fluxLayerArn: string; region: string; deployConfig?: string }): Promise<{ template: Template; dir: string; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), `fluxline-package-${stage}-`));
  const { FLUX_LAYER: _ignored, ...env } = process.env;
  const started = Date.now();
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/serverless/bin/serverless.js'), 'package', '--stage', stage, '--region', options.region, '--package', dir], {
    cwd: ROOT,
    env: { ...env, FLUX_LAYER_ARN: options.fluxLayerArn, FLUXLINE_DEPLOY_CONFIG: options.deployConfig ?? '', SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', CI: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  return { template, dir, seconds };
}

export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, r]) => r.Type === type));
}

/** CloudFormation's logical id of a serverless function: `githubWebhook` -> `GithubWebhookLambdaFunction`. */
export function functionLogicalId(name: string): string {
  return `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}LambdaFunction`;
}

/** The logical id a function's `Role` points at (`Fn::GetAtt: [X, Arn]`). */
export function roleOf(fn: CfnResource): string {
  const role = fn.Properties.Role as { 'Fn::GetAtt'?: [string, string] } | string;
  if (typeof role === 'string' || !role['Fn::GetAtt']) throw new Error(`role is not a role of this stack: ${JSON.stringify(role)}`);
  return role['Fn::GetAtt'][0];
}

/**
 * Every statement of a role's inline policies. `Fn::If` statements count as granted (the worst case): a
 * condition can only take permissions away from what is listed here.
 */
export function statementsOf(role: CfnResource): Statement[] {
  const policies = (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[];
  return policies.flatMap((policy) =>
    policy.PolicyDocument.Statement.flatMap((statement) => {
      const conditional = (statement as { 'Fn::If'?: [string, Statement, unknown] })['Fn::If'];
      return conditional ? [conditional[1]] : [statement as Statement];
    }),
  );
}

export function actionsOf(statement: Statement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

/**
 * A resource as text: an ARN, `Fn::Sub`'s template, `GetAtt:Logical.Attribute`, `Ref:Logical`. Enough to
 * see wildcards and which resource of the stack is meant.
 */
export function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const r = resource as Record<string, unknown>;
  if (typeof r['Fn::Sub'] === 'string') return r['Fn::Sub'];
  if (Array.isArray(r['Fn::GetAtt'])) return `GetAtt:${(r['Fn::GetAtt'] as string[]).join('.')}`;
  if (typeof r.Ref === 'string') return `Ref:${r.Ref}`;
  return JSON.stringify(resource);
}

export function resourcesOf(statement: Statement): string[] {
  const list: unknown[] = Array.isArray(statement.Resource) ? (statement.Resource as unknown[]) : [statement.Resource];
  return list.map(resourceText);
}

/** The SSM parameter names a role may read, from `…:parameter/<name>` resources. */
export function readableParameters(role: CfnResource): string[] {
  return statementsOf(role)
    .filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')))
    .flatMap(resourcesOf)
    .map((arn) => arn.replace(/^.*:parameter(?=\/)/, ''))
    .sort();
}

/** Whether a role may read parameter `name`, honouring a trailing `*` of a granted prefix. */
export function mayRead(role: CfnResource, name: string): boolean {
  return readableParameters(role).some((granted) => (granted.endsWith('*') ? name.startsWith(granted.slice(0, -1)) : granted === name));
}
