/**
 * flux colours its diff output (gonvenience/bunt, in flux2 internal/build/diff.go) whenever it decides
 * the terminal supports it: CSI sequences such as `ESC[38;2;r;g;bm`. None of that belongs in Slack.
 */
// eslint-disable-next-line no-control-regex
const ANSI_CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const ANSI_OSC = /\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_OSC, '').replace(ANSI_CSI, '');
}

/** Lines of CLI output without colour codes, whatever the line endings (LF, CRLF or a lone CR). */
export function outputLines(text: string): string[] {
  return stripAnsi(text).split(/\r\n|\r|\n/);
}
