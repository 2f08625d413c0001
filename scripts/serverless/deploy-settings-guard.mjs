// A local osls plugin: the settings a stage must deploy with live in serverless.yml `params:` (not on one
// command line, where the next plain `serverless deploy` would drop them). A stage that lists them in its
// `requiredSettings` param (prod does) refuses `serverless deploy` while any of them is empty: an empty
// alarmTopicArn deploys alarms that tell nobody, an empty parametersKmsKeyArn removes kms:Decrypt from
// every role (each function then fails to read its SecureStrings under that key).

/** What each required setting is for, in the refusal. */
const WHY = {
  alarmTopicArn: 'the SNS topic the alarms notify (arn:aws:sns:<region>:<account>:<topic>)',
  parametersKmsKeyArn: 'the KMS key of the SecureStrings (arn:aws:kms:<region>:<account>:key/<id>), or aws/ssm for the AWS managed key',
};

/** The required settings that are empty, from `custom.deploySettings` (serverless.yml, resolved from params). */
export function missingDeploySettings(settings) {
  const required = String(settings?.required ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return required.filter((name) => !String(settings?.[name] ?? '').trim());
}

export default class DeploySettingsGuard {
  constructor(serverless, options = {}) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = { initialize: () => this.checkDeploy() };
  }

  checkDeploy() {
    const [command, subcommand] = this.serverless.processedInput?.commands ?? [];
    // `deploy function -f x` changes one function's code and configuration, not the roles or the alarms.
    if (command !== 'deploy' || subcommand === 'list' || subcommand === 'function') return;
    const missing = missingDeploySettings(this.serverless.service.custom?.deploySettings);
    if (!missing.length) return;
    const stage = this.serverless.service.provider?.stage ?? this.options.stage;
    throw new this.serverless.classes.Error(
      `Refusing to deploy stage ${stage}: ${missing.map((name) => `${name} is empty (${WHY[name] ?? 'see serverless.yml params'})`).join('; ')}.\n` +
        `Set ${missing.length > 1 ? 'them' : 'it'} under params.${stage} in serverless.yml, so that every deploy of ${stage} has ${missing.length > 1 ? 'them' : 'it'}.`,
      'DEPLOY_SETTINGS_MISSING',
    );
  }
}
