import { Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { pino } from 'pino';
import { APP_CONFIG, type AppConfig } from '@fapiao/platform/config';
import { CENSOR, REDACTED_PATHS, scrub } from './redaction';

const WRITES_REQUEST_LINES = new Set<AppConfig['logLevel']>(['info', 'debug', 'trace']);

/**
 * pino for a service: JSON lines with trace ids, and nothing secret (architecture.md §7) — fields by path,
 * free text (messages, URLs with their query) by shape, see redaction.ts.
 */
export function loggerParams(app: Pick<AppConfig, 'logLevel' | 'name'>): Params {
  return {
    // pino-http writes its request lines at info. Above that its middleware would still build two child
    // loggers per request, the `req` binding serialised and redacted at once (7.6 % of order's CPU when
    // saturated), for lines never written: not mounted then.
    ...(WRITES_REQUEST_LINES.has(app.logLevel) ? {} : { forRoutes: [] }),
    pinoHttp: {
      level: app.logLevel,
      base: { service: app.name },
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      messageKey: 'msg',
      formatters: { level: (label: string) => ({ level: label }) },
      // pino-http hands these the standard serializers' output.
      serializers: {
        req: (req: pino.SerializedRequest) => Object.assign(req, { url: scrub(req.url ?? '') }),
        err: (error: pino.SerializedError) =>
          Object.assign(error, { message: scrub(error.message ?? ''), stack: scrub(error.stack ?? '') }),
      },
      hooks: {
        // Every string handed to a log call (Nest's Logger passes its message as one).
        logMethod(args, method) {
          return method.apply(
            this,
            args.map((arg: unknown) => (typeof arg === 'string' ? scrub(arg) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
      autoLogging: { ignore: (req) => /^\/(healthz|readyz|metrics)/.test(req.url ?? '') },
      quietReqLogger: true,
    },
  };
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (app: AppConfig) => loggerParams(app),
    }),
  ],
})
export class LoggingModule {}
