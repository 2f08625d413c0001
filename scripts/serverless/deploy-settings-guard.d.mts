/** The required settings (`required`, comma-separated) that are empty in serverless.yml `custom.deploySettings`. */
export function missingDeploySettings(settings: Record<string, unknown> | undefined): string[];
export default class DeploySettingsGuard {
  constructor(serverless: unknown, options?: Record<string, unknown>);
}
