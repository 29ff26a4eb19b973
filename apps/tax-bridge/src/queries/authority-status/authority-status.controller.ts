import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { SubmissionForwarder } from '../../forwarding/submission-forwarder';
import { SubmissionRepository } from '../../infrastructure/submission.repository';

class QueueView {
  @ApiProperty({ description: 'Submissions not yet definitely answered' }) depth: number;
  @ApiProperty({ description: 'Of those, sent with an unknown outcome (to be queried by serial)' })
  unknown: number;
  @ApiPropertyOptional({ nullable: true }) oldestQueuedAgeSeconds: number | null;
}

class AuthorityStatusView {
  @ApiProperty({ type: QueueView }) queue: QueueView;
  @ApiPropertyOptional({ nullable: true }) lastError: { at: string; message: string } | null;
  @ApiPropertyOptional({ nullable: true }) lastSuccessAt: string | null;
}

@ApiTags('authority')
@ApiBearerAuth()
@Controller('v1/authority')
export class AuthorityStatusController {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly forwarder: SubmissionForwarder,
  ) {}

  @Get('status')
  @RequireScopes('ops:admin')
  @ApiOkResponse({ type: AuthorityStatusView })
  async status(): Promise<AuthorityStatusView> {
    const stats = await this.submissions.stats();
    const { lastError, lastSuccessAt } = this.forwarder;
    return {
      queue: {
        depth: stats.depth,
        unknown: stats.unknown,
        oldestQueuedAgeSeconds: stats.oldestQueuedAt
          ? Math.round((Date.now() - stats.oldestQueuedAt.getTime()) / 1000)
          : null,
      },
      lastError: lastError ? { at: lastError.at.toISOString(), message: lastError.message } : null,
      lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
    };
  }
}
