import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Request = { service: string; method: string; path: string; body?: any; optional?: boolean };
type Dlq = {
  CONSUMING_SERVICES: string[];
  requestFor(command: string | undefined, positionals: string[], args: Record<string, any>): Request[];
};

let dlq: Dlq;
beforeAll(async () => {
  dlq = (await import(pathToFileURL(join(__dirname, 'dlq.mjs')).href)) as Dlq;
});

describe('npm run dlq', () => {
  it('lists every consuming service with the filters as query parameters', () => {
    const requests = dlq.requestFor('list', [], {
      'error-code': 'TENANT.UNKNOWN',
      tenant: 't-1',
      from: '2026-11-01T00:00:00Z',
      state: 'all',
      'page-size': '20',
    });
    expect(requests.map((r) => r.service)).toEqual(dlq.CONSUMING_SERVICES);
    expect(requests[0]).toEqual({
      service: 'order',
      method: 'GET',
      path: '/v1/dead-letters?errorCode=TENANT.UNKNOWN&tenantId=t-1&from=2026-11-01T00%3A00%3A00Z&state=all&pageSize=20',
    });
  });

  it('redrives in one named service, with ids, limit and dry run in the body', () => {
    expect(
      dlq.requestFor('redrive', [], {
        service: 'invoice',
        topic: 'fapiao.orders.v1',
        id: ['a', 'b'],
        limit: '5',
        'dry-run': true,
      }),
    ).toEqual([
      {
        service: 'invoice',
        method: 'POST',
        path: '/v1/dead-letters/redrive',
        body: { topic: 'fapiao.orders.v1', ids: ['a', 'b'], dryRun: true, limit: 5 },
      },
    ]);
  });

  it.each([
    ['redrive without a service', 'redrive', [], {}, /--service/],
    ['an unknown service', 'list', [], { service: 'auth' }, /--service/],
    ['a limit that is no whole number', 'redrive', [], { service: 'order', limit: '0' }, /--limit/],
    ['show without an id', 'show', [], {}, /which dead letter/],
    ['an unknown command', 'purge', [], {}, /unknown command/],
  ])('refuses %s', (_what, command, positionals, args, message) => {
    expect(() => dlq.requestFor(command, positionals as string[], args)).toThrow(message);
  });

  it('asks every service for one id when none is named, a 404 from the others being expected', () => {
    const requests = dlq.requestFor('show', ['0195-x'], {});
    expect(requests).toHaveLength(dlq.CONSUMING_SERVICES.length);
    expect(requests.every((r) => r.optional && r.path === '/v1/dead-letters/0195-x')).toBe(true);
  });
});
