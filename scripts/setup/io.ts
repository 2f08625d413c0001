/** Where a setup command reads and writes: arguments, so tests capture output and never touch process globals. */
export interface SetupIo {
  env: Record<string, string | undefined>;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** Told the local page's address once it listens (`npm run setup -- github`); tests play the browser with it. */
  onListening?(url: string): void;
}
