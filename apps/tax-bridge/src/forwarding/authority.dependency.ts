import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { ReadinessCheck } from '@fapiao/platform/health';
import { SubmissionRepository } from '../domain/submission.repository';
import { AuthorityPolicy } from './authority-policy';
import { SubmissionForwarder } from './submission-forwarder';

/**
 * The tax authority as tax-bridge sees it, for `/health/deps` only (never readiness: the store-and-forward
 * queue absorbs its outages). Passive — built from the circuit, pauses and the last answers — so looking
 * costs no request against the authority's rate limit. Down while the circuit is open; degraded while it
 * probes (half-open) or submission is paused (maintenance, Retry-After, refused certificate).
 */
@Injectable()
export class AuthorityDependency implements ReadinessCheck {
  constructor(
    private readonly policy: AuthorityPolicy,
    private readonly forwarder: SubmissionForwarder,
    private readonly submissions: SubmissionRepository,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('authority');
    const circuit = this.policy.circuit;
    const pause = this.policy.currentPause();
    const stats = await this.submissions.stats().catch(() => null);
    const { lastError, lastSuccessAt } = this.forwarder;
    const data = {
      circuit: circuit.state,
      paused: pause ? { reason: pause.reason, until: pause.until.toISOString() } : null,
      queueDepth: stats?.depth ?? null,
      lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
      lastError: lastError ? { at: lastError.at.toISOString(), message: lastError.message } : null,
    };
    if (circuit.state === 'open') return session.down(data);
    return pause || circuit.state === 'half-open' ? session.degraded(data) : session.up(data);
  }
}
