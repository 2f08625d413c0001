// The lean AWS client of the ingress path: SigV4 over node:http(s) for the few calls the ack path makes,
// so the ingress bundles do not carry @aws-sdk/client-sqs or client-ssm (~450 KB each). Consumers and the
// worker keep the SDK.
export { credentialsFromEnv, regionFromEnv, endpointFromEnv, type AwsCredentials, type AwsEnv } from './credentials';
export { awsJsonRequest, type AwsCallOptions, type AwsJsonRequest } from './json-request';
export { awsOptionsFromEnv } from './options';
export { signRequest, type SigningRequest } from './sigv4';
export {
  sendSqsMessage,
  changeMessageVisibility,
  sqsSender,
  SQS_MAX_MESSAGE_BYTES,
  type SqsMessage,
  type SentMessage,
  type VisibilityChange,
  type SqsSender,
  type SqsSenderOptions,
} from './sqs';
export { getFunctionLayers, type FunctionLayers } from './lambda';
export { getParameters, fetchParameters, SSM_MAX_NAMES_PER_CALL, type FetchedParameters } from './ssm';
export { AwsError, MissingAwsCredentials, AwsRequestFailed, AwsRequestTimedOut, MessageTooLarge, MessageGroupRequired, MessageChecksumMismatch, ParametersNotFound, ParametersUnreadable, type UnreadableReason } from './errors';
