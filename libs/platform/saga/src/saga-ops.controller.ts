import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiOkFrom,
  ApiQueryFrom,
  CurrentPrincipal,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
  type Principal,
} from '@fapiao/platform/http';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { SagaEngine } from './saga.engine';
import { SagaErrors } from './saga.errors';
import {
  ListSagasQuerySchema,
  ResolveSagaBody,
  ResolveSagaBodySchema,
  RetrySagaBody,
  RetrySagaBodySchema,
  SagaDetailView,
  SagaDetailViewSchema,
  SagaIdSchema,
  SagaPageSchema,
  SagaView,
  type ListSagasQuery,
  type SagaPage,
} from './saga-ops.dto';
import type { SagaInstance } from './saga.types';

const idPipe = new ZodValidationPipe(SagaIdSchema);

/** Operators inspect sagas of their tenant and unblock those in NEEDS_ATTENTION. */
/** What retry and resolve answer besides the saga: it must be NEEDS_ATTENTION and unchanged meanwhile. */
const OPERATOR_ACTION_ERRORS = [
  REQUEST_MALFORMED,
  requestInvalid(),
  SagaErrors.notFound('{id}'),
  SagaErrors.invalidState('{id}', 'retry', 'RUNNING', ['NEEDS_ATTENTION']),
  SagaErrors.concurrentUpdate('{id}'),
];

@ApiTags('sagas')
@RequireScopes('ops:admin')
@Controller('v1/sagas')
export class SagaOpsController {
  constructor(
    private readonly engine: SagaEngine,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List sagas, most recently changed first' })
  @ApiQueryFrom(ListSagasQuerySchema)
  @ApiOkFrom(SagaPageSchema)
  @ApiErrors(requestInvalid())
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListSagasQuerySchema)) query: ListSagasQuery,
  ): Promise<SagaPage> {
    const { items, total } = await this.engine.list(principal.tenantId, query);
    return {
      items: items.map((saga) => SagaView.from(saga)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One saga with its full history' })
  @ApiOkFrom(SagaDetailViewSchema)
  @ApiErrors(requestInvalid(), SagaErrors.notFound('{id}'))
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
  ): Promise<SagaDetailView> {
    return this.detail(await this.find(principal, id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry a NEEDS_ATTENTION saga where it stopped (step or compensation), with fresh attempts',
  })
  @ApiBodyFrom(RetrySagaBodySchema, { example: { note: 'Authority confirmed the form by phone' } })
  @ApiOkFrom(SagaDetailViewSchema)
  @ApiErrors(...OPERATOR_ACTION_ERRORS)
  async retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(RetrySagaBodySchema)) body: RetrySagaBody | undefined,
  ): Promise<SagaDetailView> {
    const retried = await this.unitOfWork.run(async () => {
      const saga = await this.find(principal, id, true);
      return this.engine.retry(saga, { actor: principal.clientId, note: body?.note });
    });
    return this.detail(retried);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a NEEDS_ATTENTION saga that was fixed by hand (RESOLVED)' })
  @ApiBodyFrom(ResolveSagaBodySchema, {
    example: { note: 'Red-letter invoice issued by hand in the portal' },
  })
  @ApiOkFrom(SagaDetailViewSchema)
  @ApiErrors(...OPERATOR_ACTION_ERRORS)
  async resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(ResolveSagaBodySchema)) body: ResolveSagaBody,
  ): Promise<SagaDetailView> {
    const resolved = await this.unitOfWork.run(async () => {
      const saga = await this.find(principal, id, true);
      return this.engine.resolve(saga, { actor: principal.clientId, note: body.note });
    });
    // Read after the commit: the transition's history row is written with it.
    return this.detail(resolved);
  }

  /** Another tenant's saga is answered exactly like a missing one. */
  private async find(principal: Principal, id: string, forUpdate = false): Promise<SagaInstance> {
    const saga = await this.engine.load(id, { forUpdate });
    if (!saga || saga.tenantId !== principal.tenantId) throw SagaErrors.notFound(id);
    return saga;
  }

  private async detail(saga: SagaInstance): Promise<SagaDetailView> {
    return SagaDetailView.withHistory(saga, await this.engine.history(saga.id));
  }
}
