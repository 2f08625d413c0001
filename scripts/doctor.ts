// npm run doctor -- [--stage S] [--url https://<api>]: checks a deployment's wiring and says what to fix.
import { runDoctor } from './doctor/run-doctor';

process.exitCode = await runDoctor(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
