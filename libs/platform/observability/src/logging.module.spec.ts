import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@fapiao/platform/config';
import { loggerParams } from './logging.module';

/** Whether a request handled by a service logging at `logLevel` had pino-http's request logger. */
async function requestLoggerAt(logLevel: AppConfig['logLevel']): Promise<boolean> {
  @Controller()
  class ProbeController {
    @Get('probe')
    probe(@Req() req: Request & { log?: unknown }) {
      return { hasLogger: req.log !== undefined };
    }
  }
  @Module({
    imports: [LoggerModule.forRoot(loggerParams({ logLevel, name: 'probe' }))],
    controllers: [ProbeController],
  })
  class ProbeModule {}
  const app = await NestFactory.create(ProbeModule, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const response = await fetch(`${await app.getUrl()}/probe`);
    return ((await response.json()) as { hasLogger: boolean }).hasLogger;
  } finally {
    await app.close();
  }
}

describe('loggerParams', () => {
  it('mounts the request logger only at a level that writes request lines', async () => {
    expect(await requestLoggerAt('info')).toBe(true);
    expect(await requestLoggerAt('debug')).toBe(true);
    expect(await requestLoggerAt('warn')).toBe(false);
    expect(await requestLoggerAt('silent')).toBe(false);
  });
});
