/** What is wrong with a published flux layer ARN for a stack in `region`, or undefined. */
export function layerArnProblem(arn: string, region: string): string | undefined;
export default class FluxLayerGuard {
  constructor(serverless: unknown, options?: Record<string, unknown>, utils?: { log?: unknown });
}
