import { SetMetadata } from '@nestjs/common';

/** Metadata key of `InvoicesPerRequest`. */
export const INVOICES_PER_REQUEST = 'sim:invoices-per-request';

/** How many invoices a request of this route carries, for the rate limit (read from the raw body). */
export type InvoiceCount = (body: unknown) => number;

/** A route whose requests carry several invoices: the rate limit counts them (a single-invoice route: 1). */
export const InvoicesPerRequest = (count: InvoiceCount) => SetMetadata(INVOICES_PER_REQUEST, count);
