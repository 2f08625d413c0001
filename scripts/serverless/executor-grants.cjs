// What the worker's role may do for the out-of-process executors of config.yaml (issue #19), decided when
// serverless.yml is read (`${file(...)}` resolvers: osls `require`s them, hence CommonJS). config.yaml
// lives in SSM and nothing is read from SSM at package time, so the deploy names the same file it puts
// there: FLUXLINE_DEPLOY_CONFIG=config.yaml npx serverless deploy …
//
//   executors.<name>.lambda.arn        -> lambda:InvokeFunction on exactly these ARNs
//   executors.<name>.http.secret.ssm   -> ssm:GetParameters on exactly these parameters
//
// No file, or no such executors: neither statement exists (AWS::NoValue), and the worker may invoke no
// function and read no executor secret. A value that is not an ARN or a parameter name fails the
// package: a typo must not become a wildcard.
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
const NO_VALUE = { Ref: 'AWS::NoValue' };

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
    if (entry && entry.http) {
      if (typeof secret !== 'string' || !PARAMETER_NAME.test(secret)) throw new Error(`${file}: executors.${name}.http.secret.ssm is not an SSM parameter name (/like/this)`);
      secrets.add(secret);
    }
  }
  return { functions: [...functions].sort(), secrets: [...secrets].sort() };
}

/** WorkerRole: invoke the configured Lambda executors, and nothing else. */
function invokeStatement() {
  const { functions } = executorGrants();
  if (!functions.length) return NO_VALUE;
  return { Sid: 'InvokeExecutorFunctions', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: functions };
}

/** WorkerRole: read the shared secrets of the configured HTTP executors, and no other. */
function secretsStatement() {
  const { secrets } = executorGrants();
  if (!secrets.length) return NO_VALUE;
  return {
    Sid: 'ReadExecutorSecrets',
    Effect: 'Allow',
    Action: ['ssm:GetParameters'],
    Resource: secrets.map((name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}` })),
  };
}

module.exports = { executorGrants, invokeStatement, secretsStatement };
