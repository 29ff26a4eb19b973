import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from '@fapiao/contracts';
import { ErrorFilter, toErrorResponse } from './error-filter';
import { MAX_FIELD_ERRORS, ZodValidationPipe } from './zod-validation.pipe';

describe('toErrorResponse', () => {
  it('maps a domain error kind to its status and keeps the stable code and field', () => {
    const { status, body } = toErrorResponse(
      new DomainError('conflict', 'ORDER.ALREADY_CANCELLED', 'x', 'id'),
    );
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'ORDER.ALREADY_CANCELLED', field: 'id' });
  });

  it('gives framework 4xx errors a stable code and hides unexpected errors behind INTERNAL', () => {
    expect(toErrorResponse(new NotFoundException()).body.code).toBe('ROUTE.NOT_FOUND');
    expect(toErrorResponse(new BadRequestException()).body.code).toBe('REQUEST.MALFORMED');
    const notReady = toErrorResponse(
      new ServiceUnavailableException({ error: { kafka: { status: 'down' } } }),
    );
    expect(notReady).toMatchObject({
      status: 503,
      body: { code: 'SERVICE.NOT_READY', details: { error: { kafka: {} } } },
    });
    const internal = toErrorResponse(new Error('db password is hunter2'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('hunter2');
  });

  it('answers 503 when the database or another dependency cannot be reached, never 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
      code: 'ECONNREFUSED',
      fatal: true,
    });
    expect(toErrorResponse(refused)).toMatchObject({ status: 503, body: { code: 'DATABASE.UNAVAILABLE' } });
    const peer = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3001'), { code: 'ECONNREFUSED' });
    expect(toErrorResponse(peer)).toMatchObject({ status: 503, body: { code: 'DEPENDENCY.UNAVAILABLE' } });
    // TypeORM's QueryFailedError keeps the driver's error as driverError.
    const lost = Object.assign(new Error('Connection lost'), {
      driverError: { code: 'PROTOCOL_CONNECTION_LOST', fatal: true },
    });
    expect(toErrorResponse(lost).status).toBe(503);
    const duplicate = Object.assign(new Error('dup'), { driverError: { code: 'ER_DUP_ENTRY', errno: 1062 } });
    expect(toErrorResponse(duplicate).status).toBe(500);
  });
});

describe('ErrorFilter', () => {
  const answer = (exception: unknown, headers: Record<string, string> = {}) => {
    const sent = { status: 0, headers: { ...headers } as Record<string, string>, body: undefined as unknown };
    const response = {
      getHeader: (name: string) => sent.headers[name],
      setHeader: (name: string, value: string) => void (sent.headers[name] = value),
      status: (status: number) => ((sent.status = status), response),
      json: (body: unknown) => void (sent.body = body),
    };
    const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) };
    new ErrorFilter().catch(exception, host as never);
    return sent;
  };

  it('asks clients to come back in a second when the database is unreachable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', fatal: true });
    expect(answer(refused)).toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
  });

  it("keeps a 503's own Retry-After (a maintenance window) and adds none to other answers", () => {
    const maintenance = new DomainError('unavailable', 'SIM.MAINTENANCE', 'maintenance');
    expect(answer(maintenance, { 'Retry-After': '120' }).headers).toEqual({ 'Retry-After': '120' });
    expect(answer(new DomainError('unavailable', 'X.DOWN', 'down')).headers).toEqual({});
  });
});

describe('ZodValidationPipe', () => {
  const pipe = new ZodValidationPipe(
    z.object({ lines: z.array(z.object({ taxCode: z.string().length(19) })), note: z.string() }),
  );

  it('reports every failing field with a path', () => {
    try {
      pipe.transform({ lines: [{ taxCode: '1' }] });
      throw new Error('expected a validation error');
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      expect(status).toBe(422);
      expect(body.code).toBe('REQUEST.INVALID');
      expect(body.errors?.map((e) => e.field).sort()).toEqual(['lines[0].taxCode', 'note']);
    }
  });

  it(`lists the first ${MAX_FIELD_ERRORS} of many failing fields, and counts them all`, () => {
    let thrown: unknown;
    try {
      pipe.transform({ lines: Array.from({ length: 250 }, () => ({ taxCode: '1' })), note: 'n' });
    } catch (error) {
      thrown = error;
    }
    const { status, body } = toErrorResponse(thrown);
    expect(status).toBe(422);
    expect(body.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(body.errors?.[0].field).toBe('lines[0].taxCode');
    expect(body.message).toBe(`The request is invalid: 250 problems, the first ${MAX_FIELD_ERRORS} listed`);
  });
});
