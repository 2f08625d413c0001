/**
 * Kubernetes object names, as the API server validates them (k8s.io/apimachinery
 * pkg/util/validation): a DNS-1123 label is at most 63 characters of [a-z0-9-], starting and ending
 * alphanumeric; a DNS-1123 subdomain is at most 253 characters of dot-separated such parts.
 * Neither can start with `-`, which is what keeps them from ever being read as a CLI flag.
 */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Namespaces are labels; flux itself refuses any other `--namespace` ("namespace must be a valid DNS label"). */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && LABEL.test(value);
}

/** metadata.name of a Kustomization (and most other kinds) is a subdomain. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && SUBDOMAIN.test(value);
}
