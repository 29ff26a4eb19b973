// What a real Nest app with the error filter answers for a body it will not read: a stable code, never 500.
import { Body, Controller, Post } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ErrorFilter } from './error-filter';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { size: JSON.stringify(body).length };
  }
}

describe('request bodies through the error filter', () => {
  let server: Parameters<typeof request>[0];
  let close: () => Promise<void>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [EchoController],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    server = app.getHttpServer() as typeof server;
    close = () => app.close();
  });
  afterAll(() => close());

  it('answers 413 REQUEST.TOO_LARGE to a 10 MB body', async () => {
    const body = JSON.stringify({ x: 'a'.repeat(10 * 1024 * 1024) });
    const response = await request(server).post('/echo').set('content-type', 'application/json').send(body);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'REQUEST.TOO_LARGE' });
  });

  it('answers 400 REQUEST.MALFORMED to a body that is not JSON', async () => {
    const response = await request(server).post('/echo').set('content-type', 'application/json').send('{bad');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'REQUEST.MALFORMED' });
  });
});
