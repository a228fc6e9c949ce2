import pino, { type Logger } from 'pino';
import type { Config } from './index';

export type { Logger };

/** Structured JSON logs on stdout; one logger per process, children per component. */
export function createLogger(config: Pick<Config, 'logLevel'>, component: string): Logger {
  return pino({ level: config.logLevel, base: { component } });
}
