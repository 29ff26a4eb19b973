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
import { DeadLetterErrors } from './dead-letter.errors';
import { DeadLetterStore } from './dead-letter.store';
import {
  DeadLetterDetailView,
  DeadLetterDetailViewSchema,
  DeadLetterIdSchema,
  DeadLetterPageSchema,
  DeadLetterView,
  ListDeadLettersQuerySchema,
  ListRedrivesQuerySchema,
  RedriveBodySchema,
  RedrivePageSchema,
  RedriveResultSchema,
  RedriveView,
  type DeadLetterPage,
  type ListDeadLettersQuery,
  type ListRedrivesQuery,
  type RedriveBody,
  type RedrivePage,
  type RedriveResult,
} from './dead-letters.dto';

const ACROSS_TENANTS = 'reading or redriving another tenant than the token’s, or every tenant';
const TENANT_ERRORS = [requestInvalid(), AuthErrors.crossTenant()];

/** Operators list, inspect and redrive the messages this service dead-lettered (docs/operations.md). */
@ApiTags('dead-letters')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly store: DeadLetterStore) {}

  @Get()
  @RequireScopes('ops:read')
  @RequireScopesWhen(ACROSS_TENANTS, 'platform:admin')
  @ApiOperation({ summary: 'Dead letters of this service, newest first (waiting ones by default)' })
  @ApiQueryFrom(ListDeadLettersQuerySchema)
  @ApiOkFrom(DeadLetterPageSchema)
  @ApiErrors(...TENANT_ERRORS)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListDeadLettersQuerySchema)) query: ListDeadLettersQuery,
  ): Promise<DeadLetterPage> {
    const { state, page, pageSize, ...filter } = query;
    const { items, total } = await this.store.list(
      { ...filter, tenantId: operatorTenantScope(principal, filter.tenantId) },
      state,
      page,
      pageSize,
    );
    return { items: items.map((row) => DeadLetterView.from(row)), total, page, pageSize };
  }

  @Get(':id')
  @RequireScopes('ops:read')
  @RequireScopesWhen(ACROSS_TENANTS, 'platform:admin')
  @ApiOperation({
    summary: 'One dead letter: its headers, its message with personal data masked, its redrive',
  })
  @ApiOkFrom(DeadLetterDetailViewSchema)
  @ApiErrors(requestInvalid(), DeadLetterErrors.notFound('{id}'))
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodValidationPipe(DeadLetterIdSchema)) id: string,
  ): Promise<DeadLetterDetailView> {
    const row = await this.store.find(id, operatorTenantScope(principal, undefined));
    if (!row) throw DeadLetterErrors.notFound(id);
    return DeadLetterDetailView.from(row, row.redriveId ? await this.store.findRedrive(row.redriveId) : null);
  }

  @Post('redrive')
  @HttpCode(200)
  @RequireScopes('ops:write')
  @RequireScopesWhen(ACROSS_TENANTS, 'platform:admin')
  @ApiOperation({
    summary:
      'Put waiting dead letters back on their `.retry` topic (same envelope and id: the inbox keeps them ' +
      'exactly-once), oldest first, at most `limit`; audited. `dryRun` answers what would be redriven.',
  })
  @ApiBodyFrom(RedriveBodySchema, {
    example: { errorCode: 'TENANT.UNKNOWN', topic: 'fapiao.invoice-requests.v1', dryRun: true, limit: 50 },
  })
  @ApiOkFrom(RedriveResultSchema)
  @ApiErrors(REQUEST_MALFORMED, ...TENANT_ERRORS)
  async redrive(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodValidationPipe(RedriveBodySchema)) body: RedriveBody,
  ): Promise<RedriveResult> {
    const { dryRun, limit, ...filter } = body;
    const { redrive, items } = await this.store.redrive(
      { ...filter, tenantId: operatorTenantScope(principal, filter.tenantId) },
      limit,
      { clientId: principal.clientId, tenantId: principal.tenantId },
      dryRun,
    );
    return {
      dryRun,
      redriveId: redrive?.id ?? null,
      count: items.length,
      items: items.map((row) => DeadLetterView.from(row)),
    };
  }
}

/** The audit record of redrives: who redrove what, when. */
@ApiTags('dead-letters')
@Controller('v1/dead-letter-redrives')
export class DeadLetterRedrivesController {
  constructor(private readonly store: DeadLetterStore) {}

  @Get()
  @RequireScopes('ops:read')
  @RequireScopesWhen('reading every tenant’s redrives', 'platform:admin')
  @ApiOperation({
    summary: "Redrives, newest first: your tenant's clients', or every one for platform operators",
  })
  @ApiQueryFrom(ListRedrivesQuerySchema)
  @ApiOkFrom(RedrivePageSchema)
  @ApiErrors(requestInvalid())
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListRedrivesQuerySchema)) query: ListRedrivesQuery,
  ): Promise<RedrivePage> {
    const { items, total } = await this.store.listRedrives(
      operatorTenantScope(principal, undefined),
      query.page,
      query.pageSize,
    );
    return { items: items.map((row) => RedriveView.from(row)), total, ...query };
  }
}
