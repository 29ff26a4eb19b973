import { EventEmitter } from 'node:events';
import type { ExecutionContext } from '@nestjs/common';
import { DomainError } from '@fapiao/contracts';
import type { KafkaConsumerServer } from '@fapiao/platform/messaging';
import type { GroupCommit } from '@fapiao/platform/persistence';
import { FakeClock } from '@fapiao/testing';
import type { OrderRepository } from '../domain/order.repository';
import type { OrderConfig } from '../order.config';
import { Backlog } from './backlog';
import { IntakeBacklog } from './intake-backlog';
import { IntakeBacklogGuard } from './intake-backlog.guard';

/** A guard over `intake`; each request's response is kept, to be answered (closed) by the test. */
function guardOf(intake: Pick<IntakeBacklog, 'admit' | 'answered'>) {
  const headers: Record<string, string> = {};
  const responses: EventEmitter[] = [];
  const context = {
    switchToHttp: () => ({
      getResponse: () => {
        const response = Object.assign(new EventEmitter(), {
          setHeader: (n: string, v: string) => (headers[n] = v),
        });
        responses.push(response);
        return response;
      },
    }),
  } as unknown as ExecutionContext;
  const guard = new IntakeBacklogGuard(intake as IntakeBacklog);
  const refusal = (): unknown => {
    try {
      guard.canActivate(context);
    } catch (error) {
      return error;
    }
    return undefined;
  };
  return { pass: () => guard.canActivate(context), refusal, headers, responses };
}

const guardOver = (backlog: Backlog) =>
  guardOf({ admit: () => backlog.admit(new Date()), answered: () => undefined });

/** Intake in front of a group commit where a new order waits `msPerOrderAhead` for each unanswered one. */
function intakeWaiting(msPerOrderAhead: number) {
  const config: OrderConfig = {
    idempotencyTtlHours: 48,
    maxBacklog: 2_000,
    backlogSampleMs: 500,
    maxIntakeWaitMs: 200,
  };
  return new IntakeBacklog(
    {} as OrderRepository,
    { expectedWaitMs: (ahead: number) => ahead * msPerOrderAhead } as unknown as GroupCommit,
    {} as KafkaConsumerServer,
    new FakeClock(),
    config,
  );
}

describe('IntakeBacklogGuard', () => {
  it('lets orders in below the ceiling', () => {
    const backlog = new Backlog(2, 500);
    expect(guardOver(backlog).pass()).toBe(true);
  });

  it('refuses at the ceiling with 429 ORDER.BACKLOG_FULL and a Retry-After', () => {
    const backlog = new Backlog(2, 500);
    backlog.sample(2, new Date());
    const { refusal: refuse, headers } = guardOver(backlog);
    const refusal = refuse();
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: 'rate_limited', code: 'ORDER.BACKLOG_FULL' });
    expect(headers['Retry-After']).toBe('1');
  });

  it('refuses with 429 ORDER.INTAKE_BUSY and Retry-After 1 while a new order would wait too long for its turn', () => {
    // 80 ms per unanswered order ahead, 200 ms at most: two may be ahead, not three.
    const { pass, refusal, headers, responses } = guardOf(intakeWaiting(80));
    expect([pass(), pass(), pass()]).toEqual([true, true, true]);
    expect(refusal()).toMatchObject({ kind: 'rate_limited', code: 'ORDER.INTAKE_BUSY' });
    expect(headers['Retry-After']).toBe('1');
    responses[0]?.emit('close'); // the first is answered: room for one more
    expect(pass()).toBe(true);
    expect(refusal()).toMatchObject({ code: 'ORDER.INTAKE_BUSY' });
  });
});
