export { rawBody, header } from './request';
export { json, text, errorResponse, type HttpResponse } from './response';
export { verifyGithubRequest, verifySlackRequest, verifyFluxRequest, type SlackVerifyOptions } from './signatures';
export { HttpError, SignatureMissing, SignatureInvalid, RequestExpired, SecretNotConfigured, MalformedRequest, RequestTooLarge, DependencyTimedOut } from './errors';
export { answerWithin, asDependencyTimeout } from './deadline';
