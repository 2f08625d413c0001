/**
 * Credentials that flux, Kubernetes or an error message can carry: a kubeconfig echoed in an error, a
 * Secret-like ConfigMap in a diff, a token in a failed request's URL. Each pattern keeps what tells the
 * reader which kind of secret it was (`xox?-`, `token:`), and masks only the value.
 *
 * Prefixes are not anchored on a word boundary: `id=ghp_…` or `"xoxb-…` must be caught as well as a bare
 * token, and masking a few characters too many is better than leaking one.
 */
const MASKED = '[redacted]';

/** An AWS secret access key: 40 characters of base64, not part of a longer run. */
const AWS_SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_KEY_ID = /(?:AKIA|ASIA)[A-Z0-9]{16}/;

const PATTERNS: [RegExp, string][] = [
  // PEM private keys, whole blocks, also when the output was cut before the END line.
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g, `-----BEGIN $1PRIVATE KEY-----${MASKED}-----END $1PRIVATE KEY-----`],
  // Slack: bot, user, app-level, refresh, config tokens (https://docs.slack.dev/authentication/tokens).
  [/xox[a-z]-[A-Za-z0-9-]+/g, `xox?-${MASKED}`],
  [/xapp-[A-Za-z0-9-]+/g, `xapp-${MASKED}`],
  // GitHub: personal, OAuth, user-to-server, server-to-server (installation), refresh; fine-grained PATs.
  [/gh[pousr]_[A-Za-z0-9]{16,}/g, `gh?_${MASKED}`],
  [/github_pat_[A-Za-z0-9_]{16,}/g, `github_pat_${MASKED}`],
  // AWS: a secret named as such (credentials file, environment, JSON), then access key ids.
  [/((?:aws)?[_-]?secret[_-]?access[_-]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi, `$1${MASKED}`],
  [/(?:AKIA|ASIA)[A-Z0-9]{16}/g, `AKIA${MASKED}`],
  // kubeconfig credentials (client-go's field names) and a bearer token in YAML or an error.
  [/((?:client-key-data|client-certificate-data|id-token|refresh-token|token|password)\s*:\s*["']?)[^\s"',}]+/g, `$1${MASKED}`],
  [/(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]+/g, `$1${MASKED}`],
];

/** A 40-character secret on the same line as an access key id is that key's secret, whatever it is called. */
function maskAwsSecretsNextToKeyIds(text: string): string {
  if (!AWS_KEY_ID.test(text)) return text;
  return text
    .split('\n')
    .map((line) => (AWS_KEY_ID.test(line) ? line.replace(AWS_SECRET, (secret) => (AWS_KEY_ID.test(secret) ? secret : MASKED)) : line))
    .join('\n');
}

/**
 * The one secret masker (DESIGN §3 "one secret masker"): applied to everything that came from flux,
 * Kubernetes or an error before it leaves for Slack, GitHub or the logs. Idempotent, so a text masked at
 * its source can pass through an outbound guard again unchanged.
 */
export function maskSecrets(text: string): string {
  return PATTERNS.reduce((out, [pattern, mask]) => out.replace(pattern, mask), maskAwsSecretsNextToKeyIds(text));
}
