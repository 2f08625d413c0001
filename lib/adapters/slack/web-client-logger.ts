import { LogLevel, type Logger as WebClientLogger } from '@slack/web-api';
import { logger } from '../../core/log';

function line(parts: unknown[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
}

/**
 * WebClient's own warnings (missing fallback text, failed requests), as structured Powertools lines
 * instead of its console format. Its debug lines echo whole request bodies, so they are dropped.
 */
export function webClientLogger(): WebClientLogger {
  let level = LogLevel.INFO;
  const context = { component: '@slack/web-api' };
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => logger.info(line(parts), context),
    warn: (...parts: unknown[]) => logger.warn(line(parts), context),
    error: (...parts: unknown[]) => logger.error(line(parts), context),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
