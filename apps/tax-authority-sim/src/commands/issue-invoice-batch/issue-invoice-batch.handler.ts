import { Inject, Injectable } from '@nestjs/common';
import {
  AUTHORITY_BATCH_MAX_ITEMS,
  AuthorityBatchIssueItemSchema,
  AuthorityErrorCodes as Codes,
  AuthoritySerial,
  type AuthorityBatchIssueResponse,
  type AuthorityBatchIssueResult,
  type AuthorityIssueRequest,
} from '@fapiao/contracts';
import { zodFieldErrors } from '@fapiao/platform/http';
import { isDuplicateEntry } from '@fapiao/platform/persistence';
import { Clock } from '../../domain/clock';
import { invoiceNumberPrefix } from '../../domain/invoice-number';
import { SimErrors } from '../../domain/sim.errors';
import { checkSubmission } from '../../domain/submission';
import type { IssuedInvoiceEntity } from '../../infrastructure/issued-invoice.entity';
import { toIssuedInvoice } from '../../infrastructure/mappers';
import { NumberAllocator } from '../../infrastructure/number-allocator';
import { SimRepository } from '../../infrastructure/sim.repository';
import { duplicateSubmissionsTotal, invoicesIssuedTotal } from '../../metrics';
import { toInvoice } from '../../queries/views';
import { SIM_CONFIG, type SimConfig } from '../../sim.config';

/** A concurrent request may win one of the batch's serials between our look-up and our INSERT. */
const MAX_ROUNDS = 3;
/** Field errors listed per rejected item: a hundred items of two thousand bad lines stay a small answer. */
const MAX_ITEM_ERRORS = 50;

interface Item {
  index: number;
  request: AuthorityIssueRequest;
}

/** How many invoices a batch body carries, for the rate limit (before it is validated). */
export const invoicesInBatch = (body: unknown): number => {
  const items = (body as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? Math.min(Math.max(items.length, 1), AUTHORITY_BATCH_MAX_ITEMS) : 1;
};

/**
 * A batch upload of blue invoices. Each item gets what the single endpoint would have answered had the
 * items come one after another: an item whose serial was issued before (or by an earlier item) gets that
 * invoice back as a duplicate, an invalid one its own rejection. Everything the batch issues is written
 * by one INSERT in one transaction, numbered from the process's blocks.
 */
@Injectable()
export class IssueInvoiceBatchHandler {
  constructor(
    private readonly repository: SimRepository,
    private readonly clock: Clock,
    private readonly numbers: NumberAllocator,
    @Inject(SIM_CONFIG) private readonly config: SimConfig,
  ) {}

  async execute(body: unknown): Promise<AuthorityBatchIssueResponse> {
    const raw = itemsOf(body);
    const results: AuthorityBatchIssueResult[] = new Array(raw.length);
    const valid: Item[] = [];
    raw.forEach((item, index) => {
      const parsed = AuthorityBatchIssueItemSchema.safeParse(item);
      if (parsed.success) return void valid.push({ index, request: parsed.data });
      const errors = zodFieldErrors(parsed.error).slice(0, MAX_ITEM_ERRORS);
      const serial = AuthoritySerial.safeParse((item as { serial?: unknown } | null)?.serial);
      results[index] = {
        index,
        serial: serial.success ? serial.data : null,
        outcome: 'rejected',
        code: Codes.requestInvalid,
        message: 'The request is invalid',
        field: errors[0]?.field,
        errors,
      };
    });

    for (let round = 1; ; round++) {
      const issued = await this.judge(valid, results);
      if (issued.length === 0) break;
      try {
        await this.repository.transaction((tx) => tx.insertInvoices(issued));
        invoicesIssuedTotal.inc({ kind: 'blue' }, issued.length);
        break;
      } catch (error) {
        // Someone else issued one of these serials meanwhile: judge the batch again (its numbers are gaps).
        if (round >= MAX_ROUNDS || !isDuplicateEntry(error)) throw error;
      }
    }
    const duplicates = results.filter((result) => result.outcome === 'duplicate').length;
    if (duplicates > 0) duplicateSubmissionsTotal.inc({ resource: 'invoice' }, duplicates);
    return { items: results };
  }

  /**
   * Fills in every valid item's result as if the items came one by one, and returns the rows to insert.
   * One query finds the serials issued before; numbers come from the blocks, per prefix.
   */
  private async judge(items: Item[], results: AuthorityBatchIssueResult[]): Promise<IssuedInvoiceEntity[]> {
    const serials = [...new Set(items.map(({ request }) => request.serial))];
    const known = new Map(
      (await this.repository.invoicesBySerials(serials)).map((invoice) => [invoice.serial, invoice]),
    );
    const now = this.clock.now();
    const toIssue: (Item & { prefix: string })[] = [];
    const issuing = new Map<string, Item & { prefix: string }>();
    const later: Item[] = [];
    for (const item of items) {
      const { index, request } = item;
      const earlier = known.get(request.serial);
      if (earlier) {
        results[index] = duplicate(index, earlier);
        continue;
      }
      if (issuing.has(request.serial)) {
        later.push(item); // the earlier item's invoice, once it has its number
        continue;
      }
      const errors = checkSubmission(request);
      if (errors.length > 0) {
        const [first] = errors;
        results[index] = {
          index,
          serial: request.serial,
          outcome: 'rejected',
          code: first.code,
          message: first.message,
          field: first.field,
          errors: errors.slice(0, MAX_ITEM_ERRORS),
        };
        continue;
      }
      const planned = {
        ...item,
        prefix: invoiceNumberPrefix(now, request.seller.taxId, this.config.channel),
      };
      issuing.set(request.serial, planned);
      toIssue.push(planned);
    }

    const byPrefix = new Map<string, string[]>();
    for (const prefix of new Set(toIssue.map((item) => item.prefix))) {
      const count = toIssue.filter((item) => item.prefix === prefix).length;
      byPrefix.set(prefix, await this.numbers.numbers(prefix, count));
    }
    const rows = new Map<string, IssuedInvoiceEntity>();
    for (const { index, request, prefix } of toIssue) {
      const row = toIssuedInvoice(request, byPrefix.get(prefix)?.shift() as string, now);
      rows.set(request.serial, row);
      results[index] = {
        index,
        serial: request.serial,
        outcome: 'issued',
        invoice: { ...toInvoice(row), duplicate: false },
      };
    }
    for (const { index, request } of later) {
      results[index] = duplicate(index, rows.get(request.serial) as IssuedInvoiceEntity);
    }
    return [...rows.values()];
  }
}

function duplicate(index: number, invoice: IssuedInvoiceEntity): AuthorityBatchIssueResult {
  return {
    index,
    serial: invoice.serial,
    outcome: 'duplicate',
    invoice: { ...toInvoice(invoice), duplicate: true },
  };
}

/** The batch's items, or a refusal of the whole batch: nothing of it is processed. */
function itemsOf(body: unknown): unknown[] {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length === 0) {
    throw SimErrors.reject(
      Codes.requestInvalid,
      'A batch is { items: [...] } with at least one invoice',
      'items',
    );
  }
  if (items.length > AUTHORITY_BATCH_MAX_ITEMS) {
    throw SimErrors.reject(
      Codes.batchTooLarge,
      `A batch carries at most ${AUTHORITY_BATCH_MAX_ITEMS} invoices, this one ${items.length}`,
      'items',
    );
  }
  return items;
}
