import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import {
  APP_CONFIG,
  appConfig,
  ConfigValidationError,
  validateDefinedConfigs,
  type AppConfig,
} from '@fapiao/platform/config';
import { LifecycleService } from '@fapiao/platform/health';
import type { KafkaConsumerServer } from '@fapiao/platform/messaging';
import { buildOpenApiDocument, type ApiInfo } from './openapi-document';
import { BootServer } from './boot-server';
import { CONSUMER_TRANSPORT, platformServiceIdentity } from './platform.module';
import { serveMetrics, shutdownTelemetry, traceResponseHeader } from '@fapiao/platform/observability';

/**
 * Boots a service: validated config (exit 1 naming the variable), /metrics on METRICS_PORT (never on the
 * HTTP port), the HTTP port with `/healthz` before
 * anything waits for the database (`/readyz` 503 `{"waitingFor":["database"]}` meanwhile), JSON logs,
 * OpenAPI at /docs, and a graceful SIGTERM/SIGINT shutdown — stop intake, drain, close DB and Kafka,
 * flush telemetry — that exits 0 within SHUTDOWN_GRACE_MS or 1 when the grace period runs out.
 */
export async function runService(appModule: unknown, api: ApiInfo): Promise<void> {
  let early: AppConfig;
  try {
    validateDefinedConfigs();
    const identity = platformServiceIdentity();
    if (!identity) throw new Error('runService needs an app module that imports PlatformModule.forService');
    early = appConfig(identity).read();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // Kubernetes starts probing at once: the port and /healthz answer while TypeORM waits for the database
  // (up to its retry budget, then the process exits 1 and is restarted).
  const boot = new BootServer(early.name);
  await boot.listen(early.port, early.host);
  const metricsServer = await serveMetrics(early.metricsPort, early.host);
  const closeMetrics = () => new Promise<void>((resolve) => metricsServer.close(() => resolve()));
  const leaveDuringBoot = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal} received while starting (waiting for ${boot.phase}): exiting\n`);
    void Promise.all([boot.close(), closeMetrics()]).finally(() => process.exit(0));
  };
  process.once('SIGTERM', leaveDuringBoot);
  process.once('SIGINT', leaveDuringBoot);
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(appModule as never, boot.adapter(), {
      bufferLogs: true,
      // Rethrow instead of process.abort(): the line below names what the boot was waiting for.
      abortOnError: false,
    });
  } catch (error) {
    process.stderr.write(
      `${early.name} could not start (waiting for ${boot.phase}): ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await Promise.all([boot.close(), closeMetrics()]);
    process.exit(1);
  }
  boot.phase = 'startup';
  process.removeListener('SIGTERM', leaveDuringBoot);
  process.removeListener('SIGINT', leaveDuringBoot);
  app.useLogger(app.get(Logger));
  // Express's default 100 kB would refuse valid orders (up to 2,000 lines, ~600 kB); anything beyond
  // 2 MB is answered 413 REQUEST.TOO_LARGE before it is read.
  app.useBodyParser('json', { limit: '2mb' });
  app.use(traceResponseHeader);
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = app.get(Logger);

  const document = buildOpenApiDocument(app, appModule, { ...api, port: config.port });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  const consumers = app.get<KafkaConsumerServer | null>(CONSUMER_TRANSPORT);
  if (consumers) {
    app.connectMicroservice({ strategy: consumers }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: shutting down within ${config.shutdownGraceMs} ms`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown grace period of ${config.shutdownGraceMs} ms exceeded`);
      process.exit(1);
    }, config.shutdownGraceMs);
    deadline.unref();
    app.get(LifecycleService).startDraining();
    try {
      // Stop intake first: no new message starts while the rest drains and closes. Half the grace period at
      // most for the consumers to commit and leave their groups: a broker away is not waited for.
      await consumers?.close(config.shutdownGraceMs / 2);
      await app.close();
      await closeMetrics();
      await shutdownTelemetry();
      clearTimeout(deadline);
      process.exit(0);
    } catch (error) {
      clearTimeout(deadline);
      logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));

  await app.listen(config.port, config.host);
  logger.log(
    `${config.name} listening on ${config.host}:${config.port}, /metrics on port ${config.metricsPort}`,
  );
}
