import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const EXAMPLE_HOST = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';

/** An API Gateway HTTP API v2 event as Lambda receives it: header names lowercased, body as a string. */
export function apiGatewayEvent(route: string, headers: Record<string, string>, body: string, when: Date, sourceIp: string, requestId: string): APIGatewayProxyEventV2 {
  const [method = 'POST', path = '/'] = route.split(' ');
  const userAgent = headers['user-agent'] ?? '';
  const day = when.toUTCString().split(' ');
  return {
    version: '2.0',
    routeKey: route,
    rawPath: path,
    rawQueryString: '',
    headers: {
      'content-length': String(Buffer.byteLength(body)),
      host: EXAMPLE_HOST,
      'x-amzn-trace-id': `Root=1-${Math.floor(when.getTime() / 1000).toString(16)}-${requestId.toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(24, '0').slice(0, 24)}`,
      'x-forwarded-for': sourceIp,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: EXAMPLE_HOST.split('.')[0] ?? 'api',
      domainName: EXAMPLE_HOST,
      domainPrefix: EXAMPLE_HOST.split('.')[0] ?? 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent },
      requestId,
      routeKey: route,
      stage: '$default',
      // API Gateway's own format: 15/Jan/2026:09:30:00 +0000
      time: `${day[1]}/${day[2]}/${day[3]}:${day[4]} +0000`,
      timeEpoch: when.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}
