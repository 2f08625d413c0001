/** Slack tokens (xoxb-, xoxp-, xapp- …) and GitHub tokens (ghp_, ghs_, github_pat_ …). */
const SECRETS: [RegExp, string][] = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/\bgh[pousr]_[A-Za-z0-9]{16,}/g, 'gh?_[redacted]'],
  [/\bgithub_pat_[A-Za-z0-9_]{16,}/g, 'github_pat_[redacted]'],
];

/** Masks anything shaped like a token, so printed output cannot leak one even if a message carries it by mistake. */
export function redactSecrets(text: string): string {
  return SECRETS.reduce((out, [pattern, mask]) => out.replace(pattern, mask), text);
}
