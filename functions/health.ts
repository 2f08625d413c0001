import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * GET /health: answers as long as the function can run at all. It loads no config and calls nothing, so
 * a probe never costs an SSM or DynamoDB call; and it imports nothing from lib/ so its bundle stays tiny.
 */
export function handler(): Promise<APIGatewayProxyStructuredResultV2> {
  return Promise.resolve({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ status: 'ok' }),
  });
}
