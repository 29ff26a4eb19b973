import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { PAUSE_REASONS, type PauseReason } from '../../domain/authority-outcome';
import { AuthorityPolicy, type CircuitView } from '../../forwarding/authority-policy';
import { SubmissionForwarder } from '../../forwarding/submission-forwarder';
import { SubmissionRepository } from '../../infrastructure/submission.repository';

class QueueView {
  @ApiProperty({ description: 'Submissions not yet definitely answered' }) depth: number;
  @ApiProperty({ description: 'Of those, sent with an unknown outcome (to be queried by serial)' })
  unknown: number;
  @ApiPropertyOptional({ nullable: true }) oldestQueuedAgeSeconds: number | null;
  @ApiProperty({
    description: 'Reversals whose confirmation form waits for the buyer (not counted in depth)',
  })
  awaitingConfirmation: number;
}

class CircuitStatusView {
  @ApiProperty({ enum: ['closed', 'half-open', 'open'] }) state: CircuitView;
  @ApiPropertyOptional({ nullable: true, description: 'When the circuit last opened (while not closed)' })
  openedAt: string | null;
}

class PauseView {
  @ApiProperty({ enum: PAUSE_REASONS }) reason: PauseReason;
  @ApiProperty({ description: 'Nothing is sent to the authority before this instant' }) until: string;
  @ApiProperty() message: string;
}

class WindowView {
  @ApiProperty() start: string;
  @ApiProperty() end: string;
}

class AuthorityStatusView {
  @ApiProperty({ type: CircuitStatusView }) circuit: CircuitStatusView;
  @ApiPropertyOptional({ type: PauseView, nullable: true }) paused: PauseView | null;
  @ApiProperty({ type: QueueView }) queue: QueueView;
  @ApiPropertyOptional({
    type: WindowView,
    nullable: true,
    description: 'The current or next maintenance window of the calendar (null when it is off)',
  })
  nextMaintenanceWindow: WindowView | null;
  @ApiPropertyOptional({ nullable: true }) lastError: { at: string; message: string } | null;
  @ApiPropertyOptional({ nullable: true }) lastSuccessAt: string | null;
}

@ApiTags('authority')
@ApiBearerAuth()
@Controller('v1/authority')
export class GetAuthorityStatusController {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly forwarder: SubmissionForwarder,
    private readonly policy: AuthorityPolicy,
  ) {}

  @Get('status')
  @RequireScopes('ops:admin')
  @ApiOkResponse({ type: AuthorityStatusView })
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
