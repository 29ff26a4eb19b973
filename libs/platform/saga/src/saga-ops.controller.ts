import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthErrors, operatorTenantScope, RequireScopes, RequireScopesWhen } from '@fapiao/platform/auth';
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
  OperatedTenantQuerySchema,
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
  type OperatedTenantQuery,
  type SagaPage,
} from './saga-ops.dto';
import type { SagaInstance } from './saga.types';

const idPipe = new ZodValidationPipe(SagaIdSchema);
const tenantPipe = new ZodValidationPipe(OperatedTenantQuerySchema);
const ACROSS_TENANTS = 'acting on another tenant than the token’s (?tenantId=)';

/** What retry and resolve answer besides the saga: it must be NEEDS_ATTENTION and unchanged meanwhile. */
const OPERATOR_ACTION_ERRORS = [
  REQUEST_MALFORMED,
  requestInvalid(),
  SagaErrors.notFound('{id}'),
  SagaErrors.invalidState('{id}', 'retry', 'RUNNING', ['NEEDS_ATTENTION']),
  SagaErrors.concurrentUpdate('{id}'),
  AuthErrors.crossTenant(),
];

/**
 * Operators inspect sagas of their tenant (ops:read) and unblock those in NEEDS_ATTENTION (ops:write).
 * The platform administrator's client holds these scopes too and names the tenant (`?tenantId=`).
 */
@ApiTags('sagas')
@Controller('v1/sagas')
export class SagaOpsController {
  constructor(
    private readonly engine: SagaEngine,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  @Get()
  @RequireScopes('ops:read')
  @RequireScopesWhen(ACROSS_TENANTS, 'platform:admin')
  @ApiOperation({ summary: 'List sagas, most recently changed first' })
  @ApiQueryFrom(ListSagasQuerySchema)
  @ApiOkFrom(SagaPageSchema)
  @ApiErrors(requestInvalid(), AuthErrors.crossTenant(), AuthErrors.tenantRequired())
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListSagasQuerySchema)) query: ListSagasQuery,
  ): Promise<SagaPage> {
    const tenantId = operatorTenantScope(principal, query.tenantId);
    if (tenantId === undefined) throw AuthErrors.tenantRequired();
    const { items, total } = await this.engine.list(tenantId, query);
    return {
      items: items.map((saga) => SagaView.from(saga)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  @Get(':id')
  @RequireScopes('ops:read')
  @RequireScopesWhen(ACROSS_TENANTS, 'platform:admin')
  @ApiOperation({ summary: 'One saga with its full history' })
  @ApiQueryFrom(OperatedTenantQuerySchema)
  @ApiOkFrom(SagaDetailViewSchema)
  @ApiErrors(requestInvalid(), SagaErrors.notFound('{id}'), AuthErrors.crossTenant())
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Query(tenantPipe) query: OperatedTenantQuery,
  ): Promise<SagaDetailView> {
    return this.detail(await this.find(principal, query, id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @RequireScopes('ops:write')
  @RequireScopesWhen(ACROSS_TENANTS, 'platform:admin')
  @ApiQueryFrom(OperatedTenantQuerySchema)
  @ApiOperation({
    summary: 'Retry a NEEDS_ATTENTION saga where it stopped (step or compensation), with fresh attempts',
  })
  @ApiBodyFrom(RetrySagaBodySchema, { example: { note: 'Authority confirmed the form by phone' } })
  @ApiOkFrom(SagaDetailViewSchema)
  @ApiErrors(...OPERATOR_ACTION_ERRORS)
  async retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Query(tenantPipe) query: OperatedTenantQuery,
    @Body(new ZodValidationPipe(RetrySagaBodySchema)) body: RetrySagaBody | undefined,
  ): Promise<SagaDetailView> {
    const retried = await this.unitOfWork.run(async () => {
      const saga = await this.find(principal, query, id, true);
      return this.engine.retry(saga, { actor: principal.clientId, note: body?.note });
    });
    return this.detail(retried);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequireScopes('ops:write')
  @RequireScopesWhen(ACROSS_TENANTS, 'platform:admin')
  @ApiQueryFrom(OperatedTenantQuerySchema)
  @ApiOperation({ summary: 'Close a NEEDS_ATTENTION saga that was fixed by hand (RESOLVED)' })
  @ApiBodyFrom(ResolveSagaBodySchema, {
    example: { note: 'Red-letter invoice issued by hand in the portal' },
  })
  @ApiOkFrom(SagaDetailViewSchema)
  @ApiErrors(...OPERATOR_ACTION_ERRORS)
  async resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Query(tenantPipe) query: OperatedTenantQuery,
    @Body(new ZodValidationPipe(ResolveSagaBodySchema)) body: ResolveSagaBody,
  ): Promise<SagaDetailView> {
    const resolved = await this.unitOfWork.run(async () => {
      const saga = await this.find(principal, query, id, true);
      return this.engine.resolve(saga, { actor: principal.clientId, note: body.note });
    });
    // Read after the commit: the transition's history row is written with it.
    return this.detail(resolved);
  }

  /**
   * Another tenant's saga is answered exactly like a missing one; the platform administrator reaches any
   * saga by id (or only the named tenant's).
   */
  private async find(
    principal: Principal,
    query: OperatedTenantQuery,
    id: string,
    forUpdate = false,
  ): Promise<SagaInstance> {
    const tenantId = operatorTenantScope(principal, query.tenantId);
    const saga = await this.engine.load(id, { forUpdate });
    if (!saga || (tenantId !== undefined && saga.tenantId !== tenantId)) throw SagaErrors.notFound(id);
    return saga;
  }

  private async detail(saga: SagaInstance): Promise<SagaDetailView> {
    return SagaDetailView.withHistory(saga, await this.engine.history(saga.id));
  }
}
