import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@fapiao/platform/config';

/** Paths pino must never print: credentials, tokens and personal data (architecture.md §7). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body.client_secret',
  'req.body.buyer',
  '*.clientSecret',
  '*.client_secret',
  '*.password',
  '*.access_token',
];

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (app: AppConfig) => ({
        pinoHttp: {
          level: app.logLevel,
          base: { service: app.name },
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          messageKey: 'msg',
          formatters: { level: (label: string) => ({ level: label }) },
          autoLogging: { ignore: (req) => /^\/(healthz|readyz|metrics)/.test(req.url ?? '') },
          quietReqLogger: true,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
