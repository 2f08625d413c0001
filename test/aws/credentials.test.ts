import { describe, expect, it } from 'vitest';
import { awsOptionsFromEnv, credentialsFromEnv, endpointFromEnv, MissingAwsCredentials, regionFromEnv } from '../../lib/adapters/aws';

describe('credentialsFromEnv', () => {
  it('takes the role session Lambda puts in the environment', () => {
    // Act
    const credentials = credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's3cret', AWS_SESSION_TOKEN: 'token' });

    // Assess
    expect(credentials).toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's3cret', sessionToken: 'token' });
  });

  it('accepts long-term keys without a session token (local runs, the bench)', () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's3cret' })).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's3cret' });
  });

  it.each([
    ['AWS_ACCESS_KEY_ID', { AWS_SECRET_ACCESS_KEY: 's3cret' }],
    ['AWS_SECRET_ACCESS_KEY', { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }],
  ])('names %s when it is missing, without echoing the other', (variable, env) => {
    // Act
    const reading = () => credentialsFromEnv(env);

    // Assess
    expect(reading).toThrow(MissingAwsCredentials);
    expect(reading).toThrow(new RegExp(`^${variable} is not set`));
    expect(reading).not.toThrow(/s3cret|AKIAEXAMPLE/);
  });
});

describe('region and endpoint', () => {
  it('prefers AWS_REGION (Lambda) over AWS_DEFAULT_REGION (the CLI)', () => {
    expect(regionFromEnv({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' })).toBe('eu-west-1');
    expect(regionFromEnv({ AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
  });

  it.each([
    [{}, 'sqs', 'https://sqs.eu-west-1.amazonaws.com'],
    [{}, 'ssm', 'https://ssm.eu-west-1.amazonaws.com'],
    [{ AWS_ENDPOINT_URL: 'http://localhost:4566' }, 'sqs', 'http://localhost:4566'],
    [{ AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_SQS: 'http://localhost:9324' }, 'sqs', 'http://localhost:9324'],
    [{ AWS_ENDPOINT_URL_SQS: 'http://localhost:9324' }, 'ssm', 'https://ssm.eu-west-1.amazonaws.com'],
  ])('with %j, %s goes to %s', (env, service, expected) => {
    expect(endpointFromEnv(env, service, 'eu-west-1')).toBe(expected);
  });

  it('uses the China partition domain in cn- regions', () => {
    expect(endpointFromEnv({}, 'sqs', 'cn-north-1')).toBe('https://sqs.cn-north-1.amazonaws.com.cn');
  });

  it('builds a service’s options from the environment once', () => {
    const options = awsOptionsFromEnv({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's3cret', AWS_REGION: 'eu-central-1' }, 'ssm', { timeoutMs: 500 });
    expect(options).toEqual({ region: 'eu-central-1', endpoint: 'https://ssm.eu-central-1.amazonaws.com', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's3cret' }, timeoutMs: 500 });
  });
});
