// What the worker's role may do for the out-of-process executors of config.yaml (issue #19): a local osls
// plugin (serverless.yml `plugins:`; osls `require`s it, hence CommonJS) that adds the statements to the
// worker's inline policy once the template is compiled. config.yaml lives in SSM and nothing is read from
// SSM at package time, so the deploy names the same file it puts there:
//   FLUXLINE_DEPLOY_CONFIG=config.yaml npx serverless deploy …
//
//   executors.<name>.lambda.arn        -> lambda:InvokeFunction on exactly these ARNs
//   executors.<name>.http.secret.ssm   -> ssm:GetParameters on exactly these parameters (and for the
//                                         health role, to look at them without decryption)
//
// No file, or no such executors: the statement is not in the template at all, and the worker may invoke
// no function and read no executor secret. Not a `${file(...)}` statement that resolves to
// `Ref: AWS::NoValue`: CloudFormation honours AWS::NoValue only as a branch of Fn::If, and a bare one in
// a policy's statement list is left for IAM to reject. A value that is not an ARN or a parameter name
// fails the package: a typo must not become a wildcard.
'use strict';
/* global __dirname */

const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const process = require('node:process');
const { parse } = require('yaml');

const serviceDir = join(__dirname, '..', '..');
/** As lib/core/config/schema.ts checks it at load. */
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/;
/** SSM's own grammar of a parameter name (API_PutParameter.html), absolute: no `*` or `?` can pass. */
const PARAMETER_NAME = /^\/[A-Za-z0-9_./-]{1,1010}$/;

/** The Lambda ARNs and secret parameter names of config.yaml's executors, each sorted and once. */
function executorGrants(env = process.env) {
  const file = (env.FLUXLINE_DEPLOY_CONFIG || '').trim();
  if (!file) return { functions: [], secrets: [] };
  const config = parse(readFileSync(resolve(serviceDir, file), 'utf8')) || {};
  const functions = new Set();
  const secrets = new Set();
  for (const [name, entry] of Object.entries(config.executors || {})) {
    const arn = entry && entry.lambda && entry.lambda.arn;
    if (arn !== undefined) {
      if (typeof arn !== 'string' || !LAMBDA_ARN.test(arn)) throw new Error(`${file}: executors.${name}.lambda.arn is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`);
      functions.add(arn);
    }
    const secret = entry && entry.http && entry.http.secret && entry.http.secret.ssm;
    if (entry && entry.http && entry.http.secret && entry.http.secret.env !== undefined) {
      // A deployed worker's environment has no such variable: every run of this executor would fail.
      throw new Error(`${file}: executors.${name}.http.secret.env is for npm start only; a deploy needs secret: { ssm: /parameter/name }`);
    }
    if (entry && entry.http) {
      if (typeof secret !== 'string' || !PARAMETER_NAME.test(secret)) throw new Error(`${file}: executors.${name}.http.secret.ssm is not an SSM parameter name (/like/this)`);
      secrets.add(secret);
    }
  }
  return { functions: [...functions].sort(), secrets: [...secrets].sort() };
}

/** `ssm:GetParameters` on exactly these parameters. */
function readParameters(sid, names) {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: ['ssm:GetParameters'],
    Resource: names.map((name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}` })),
  };
}

/**
 * The statements for these grants, by role and inline policy of infra/aws/roles.yml: one per kind of grant
 * there is, none when there is none. The health role looks at the secrets for GET /health?deep=1, without
 * decryption (its NeverDecryptSecrets denies that).
 */
function executorStatements({ functions, secrets }) {
  const worker = [];
  const health = [];
  if (functions.length) worker.push({ Sid: 'InvokeExecutorFunctions', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: functions });
  if (secrets.length) {
    worker.push(readParameters('ReadExecutorSecrets', secrets));
    health.push(readParameters('CheckExecutorSecrets', secrets));
  }
  return [
    { role: 'WorkerRole', policy: 'worker', statements: worker },
    { role: 'HealthRole', policy: 'health', statements: health },
  ];
}

/** Appends the statements to their roles' policies in a compiled template; a template without one fails the package. */
function addExecutorStatements(template, grants) {
  for (const { role, policy: policyName, statements } of grants) {
    if (!statements.length) continue;
    const policies = (template.Resources && template.Resources[role] && template.Resources[role].Properties.Policies) || [];
    const policy = policies.find((p) => p.PolicyName === policyName);
    if (!policy) throw new Error(`executor grants: no inline policy ${policyName} on ${role} (infra/aws/roles.yml) to grant the executors of FLUXLINE_DEPLOY_CONFIG`);
    policy.PolicyDocument.Statement.push(...statements);
  }
}

class ExecutorGrants {
  constructor(serverless) {
    this.hooks = {
      // After `resources:` (infra/aws/roles.yml) are merged into the compiled template, before it is written.
      'after:aws:package:finalize:mergeCustomProviderResources': () =>
        addExecutorStatements(serverless.service.provider.compiledCloudFormationTemplate, executorStatements(executorGrants())),
    };
  }
}

module.exports = Object.assign(ExecutorGrants, { executorGrants, executorStatements, addExecutorStatements });
