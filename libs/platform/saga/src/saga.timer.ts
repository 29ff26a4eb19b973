import { Inject, Injectable } from '@nestjs/common';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { FapiaoAttributes } from '@fapiao/platform/observability';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { BackgroundWorker, Clock } from '@fapiao/platform/resilience';
import { SAGA_CONFIG, type SagaConfig } from './saga.config';
import { SagaEngine } from './saga.engine';
import { sagasNeedingAttention } from './saga.metrics';
import { errorText } from './saga-transitions';
import { claimDueSaga, countNeedingAttention } from './saga.store';
import type { SagaInstance } from './saga.types';

export interface SweepResult {
  /** Due sagas handled and committed: a compensation run, a step retried or failed. */
  processed: number;
  /** Due sagas whose handling threw: recorded as a failed attempt (backoff or NEEDS_ATTENTION). */
  failed: number;
}

type Due = 'COMPENSATING' | 'RUNNING';

const tracer = trace.getTracer('fapiao-saga');

/**
 * Drives sagas forward without a message to react to: expired step deadlines and the compensation
 * stack. Every replica sweeps; a claim locks one due saga with SKIP LOCKED, so replicas share the work
 * and never handle the same saga at once. One saga per transaction: a failing compensation rolls back
 * only its own effects. Sweeps never overlap, and shutdown waits for the running one.
 */
@Injectable()
export class SagaTimer extends BackgroundWorker {
  private stopping = false;
  /** The sweep in flight (or the last one): sweeps are chained, never concurrent. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: SagaEngine,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @Inject(SAGA_CONFIG) private readonly config: SagaConfig,
  ) {
    super(SagaTimer.name);
  }

  /** Stops sweeping and waits for the sweep in flight, which ends after the saga it is handling. */
  override async stop(): Promise<void> {
    this.stopping = true;
    await super.stop();
    await this.tail;
  }

  protected async round(): Promise<number> {
    await this.sweepOnce();
    return this.config.sweepIntervalMs;
  }

  /** One sweep as of the clock's now: runs after any sweep in flight. Tests call it directly. */
  sweepOnce(): Promise<SweepResult> {
    const sweep = this.tail.then(() => this.sweep(this.clock.now()));
    this.tail = sweep.catch(() => undefined);
    return sweep;
  }

  private async sweep(now: Date): Promise<SweepResult> {
    const result: SweepResult = { processed: 0, failed: 0 };
    // Expired steps first, so a step that fails here is compensated in the same sweep; each kind is
    // bounded, so neither starves the other.
    for (const state of ['RUNNING', 'COMPENSATING'] as const) {
      for (let claimed = 0; claimed < this.config.sweepBatchSize && !this.stopping; claimed++) {
        const outcome = await this.handleNext(state, now);
        if (outcome === 'none') break;
        result[outcome] += 1;
      }
    }
    await this.refreshAttentionGauge();
    return result;
  }

  private async handleNext(state: Due, now: Date): Promise<keyof SweepResult | 'none'> {
    const claim: { saga?: SagaInstance } = {};
    try {
      const handled = await this.unitOfWork.run(
        async () => {
          claim.saga = (await claimDueSaga(this.unitOfWork.manager(), state, now)) ?? undefined;
          const saga = claim.saga;
          if (!saga) return false;
          await this.traced(saga, () => this.engine.processDue(saga, now));
          return true;
        },
        { isolation: 'READ COMMITTED' },
      );
      return handled ? 'processed' : 'none';
    } catch (error) {
      // Without a claim the database itself failed: end this sweep, the next one tries again.
      if (!claim.saga) throw error;
      await this.recordFailure(claim.saga, error, now);
      return 'failed';
    }
  }

  private async recordFailure(claimed: SagaInstance, error: unknown, now: Date): Promise<void> {
    const what = describe(claimed);
    let recorded: SagaInstance | null;
    try {
      recorded = await this.unitOfWork.run(() => this.engine.recordFailedAttempt(claimed, error, now), {
        isolation: 'READ COMMITTED',
      });
    } catch (recordError) {
      this.logger.error(`${what} failed and the failure could not be recorded: ${errorText(error)}`);
      throw recordError;
    }
    if (!recorded) {
      this.logger.warn(`${what} failed, but the saga changed meanwhile: ${errorText(error)}`);
    } else if (recorded.state === 'NEEDS_ATTENTION') {
      this.logger.error(
        `${what} failed ${recorded.attempts} times and NEEDS_ATTENTION from an operator: ${recorded.lastError}`,
      );
    } else {
      this.logger.warn(
        `${what} failed (attempt ${recorded.attempts}), next try at ${recorded.deadlineAt?.toISOString()}: ${recorded.lastError}`,
      );
    }
  }

  private async refreshAttentionGauge(): Promise<void> {
    const counts = await countNeedingAttention(this.unitOfWork.manager());
    sagasNeedingAttention.reset();
    for (const type of new Set([...this.engine.registeredTypes(), ...counts.keys()])) {
      sagasNeedingAttention.set({ type }, counts.get(type) ?? 0);
    }
  }

  private traced<T>(saga: SagaInstance, work: () => Promise<T>): Promise<T> {
    const attributes = {
      [FapiaoAttributes.SAGA_ID]: saga.id,
      [FapiaoAttributes.SAGA_STEP]: saga.step,
      [FapiaoAttributes.TENANT_ID]: saga.tenantId,
    };
    const name = saga.state === 'COMPENSATING' ? 'saga compensate' : 'saga step timeout';
    return tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorText(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}

function describe(saga: SagaInstance): string {
  const action =
    saga.state === 'COMPENSATING'
      ? `compensation ${saga.compensations.at(-1)?.name}`
      : `timeout handling of step ${saga.step}`;
  return `saga ${saga.id} (${saga.type}, tenant ${saga.tenantId}): ${action}`;
}
