import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from '@fapiao/contracts';
import { toErrorResponse } from './error-filter';
import { ZodValidationPipe } from './zod-validation.pipe';

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
});
