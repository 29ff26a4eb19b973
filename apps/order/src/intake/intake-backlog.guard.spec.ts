import type { ExecutionContext } from '@nestjs/common';
import { DomainError } from '@fapiao/contracts';
import { Backlog } from './backlog';
import type { IntakeBacklog } from './intake-backlog';
import { IntakeBacklogGuard } from './intake-backlog.guard';

function guardOver(backlog: Backlog) {
  const headers: Record<string, string> = {};
  const context = {
    switchToHttp: () => ({ getResponse: () => ({ setHeader: (n: string, v: string) => (headers[n] = v) }) }),
  } as unknown as ExecutionContext;
  const guard = new IntakeBacklogGuard({ admit: () => backlog.admit() } as IntakeBacklog);
  return { pass: () => guard.canActivate(context), headers };
}

describe('IntakeBacklogGuard', () => {
  it('lets orders in below the ceiling', () => {
    const backlog = new Backlog(2);
    expect(guardOver(backlog).pass()).toBe(true);
  });

  it('refuses at the ceiling with 429 ORDER.BACKLOG_FULL and a Retry-After', () => {
    const backlog = new Backlog(2);
    backlog.sample(2, new Date());
    const { pass, headers } = guardOver(backlog);
    let refusal: unknown;
    try {
      pass();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: 'rate_limited', code: 'ORDER.BACKLOG_FULL' });
    expect(headers['Retry-After']).toBe('1');
  });
});
