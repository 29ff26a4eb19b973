import type { ReversalLine } from '@fapiao/invoice-domain';
import { Reversal, type Refusal, type ReversalState } from '../domain/reversal';
import type { ReversalScope } from '../domain/reversal-plan';
import { ReversalEntity } from './reversal.entity';

/** Between the Reversal aggregate and its row (reversals). */
export const ReversalMapper = {
  toDomain(row: ReversalEntity): Reversal {
    return Reversal.restore({
      id: row.id,
      tenantId: row.tenantId,
      invoiceId: row.invoiceId,
      cause: row.cause,
      kind: row.kind,
      reasonCode: row.reasonCode,
      status: row.status,
      idempotencyKey: row.idempotencyKey,
      scope: JSON.parse(row.scope) as ReversalScope,
      lines: JSON.parse(row.lines) as ReversalLine[],
      planned: { net: row.plannedNet, tax: row.plannedTax, gross: row.plannedGross },
      formSerial: row.formSerial,
      redSerial: row.redSerial,
      formId: row.formId,
      formExpiresAt: row.formExpiresAt,
      red:
        row.redNumber === null
          ? null
          : {
              number: row.redNumber,
              totals: { net: row.redNet ?? '0.00', tax: row.redTax ?? '0.00', gross: row.redGross ?? '0.00' },
              issuedAt: row.redIssuedAt ?? row.updatedAt,
              fileRef: row.redFileRef ?? '',
            },
      error: row.error === null ? null : (JSON.parse(row.error) as Refusal),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      version: row.version,
    });
  },

  /** The columns a reversal's changes write. */
  toChange(state: Readonly<ReversalState>): Partial<ReversalEntity> {
    return {
      status: state.status,
      formId: state.formId,
      formExpiresAt: state.formExpiresAt,
      redNumber: state.red?.number ?? null,
      redNet: state.red?.totals.net ?? null,
      redTax: state.red?.totals.tax ?? null,
      redGross: state.red?.totals.gross ?? null,
      redIssuedAt: state.red?.issuedAt ?? null,
      redFileRef: state.red?.fileRef ?? null,
      error: state.error === null ? null : JSON.stringify(state.error),
      updatedAt: state.updatedAt,
    };
  },

  toRow(state: Readonly<ReversalState>): ReversalEntity {
    return Object.assign(new ReversalEntity(), {
      ...ReversalMapper.toChange(state),
      id: state.id,
      tenantId: state.tenantId,
      invoiceId: state.invoiceId,
      cause: state.cause,
      kind: state.kind,
      reasonCode: state.reasonCode,
      idempotencyKey: state.idempotencyKey,
      scope: JSON.stringify(state.scope),
      lines: JSON.stringify(state.lines),
      plannedNet: state.planned.net,
      plannedTax: state.planned.tax,
      plannedGross: state.planned.gross,
      formSerial: state.formSerial,
      redSerial: state.redSerial,
      createdAt: state.createdAt,
      version: state.version,
    });
  },
};
