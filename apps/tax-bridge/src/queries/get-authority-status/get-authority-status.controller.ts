import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { ApiOkFrom } from '@fapiao/platform/http';
import { AuthorityPolicy } from '../../forwarding/authority-policy';
import { SubmissionForwarder } from '../../forwarding/submission-forwarder';
import { SubmissionRepository } from '../../domain/submission.repository';
import { AuthorityStatusViewSchema, type AuthorityStatusView } from '../authority-status.view';

@ApiTags('authority')
@Controller('v1/authority')
export class GetAuthorityStatusController {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly forwarder: SubmissionForwarder,
    private readonly policy: AuthorityPolicy,
  ) {}

  /** ops:read of any tenant: the figures are the installation's, aggregate, with no tenant's data. */
  @Get('status')
  @RequireScopes('ops:read')
  @ApiOperation({ summary: 'How the authority looks from here: circuit, pause, queue and maintenance' })
  @ApiOkFrom(AuthorityStatusViewSchema)
  async status(): Promise<AuthorityStatusView> {
    const stats = await this.submissions.stats();
    const { lastError, lastSuccessAt } = this.forwarder;
    const circuit = this.policy.circuit;
    const pause = this.policy.currentPause();
    const window = this.policy.nextMaintenanceWindow();
    return {
      circuit: { state: circuit.state, openedAt: circuit.openedAt?.toISOString() ?? null },
      paused: pause
        ? { reason: pause.reason, until: pause.until.toISOString(), message: pause.message }
        : null,
      queue: {
        depth: stats.depth,
        unknown: stats.unknown,
        oldestQueuedAgeSeconds: stats.oldestQueuedAt
          ? Math.round((Date.now() - stats.oldestQueuedAt.getTime()) / 1000)
          : null,
        awaitingConfirmation: stats.awaitingConfirmation,
      },
      nextMaintenanceWindow: window
        ? { start: window.start.toISOString(), end: window.end.toISOString() }
        : null,
      lastError: lastError ? { at: lastError.at.toISOString(), message: lastError.message } : null,
      lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
    };
  }
}
