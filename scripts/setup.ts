// npm run setup -- slack|github …: creates the Slack app and the GitHub App of a deployment from manifests.
import { runSetup } from './setup/cli';

process.exitCode = await runSetup(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
