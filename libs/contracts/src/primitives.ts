import { z } from 'zod';

/** A decimal string with at most two places, e.g. "1000.00" or "-12.5" (amounts never travel as floats). */
export const Money = z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/, 'a decimal amount with at most two places');
/** A positive decimal string with up to 15 places (quantities and unit prices). */
export const Decimal = z.string().regex(/^\d{1,15}(\.\d{1,15})?$/, 'a non-negative decimal number');
/** A tax rate as a decimal fraction ("0.13") or "exempt" (免税). */
export const TaxRate = z
  .string()
  .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?|exempt)$/, 'a rate such as 0.13, or exempt');
/** GB 32100-2015 Unified Social Credit Code: shape only; the domain checks the check characters. */
export const TaxId = z
  .string()
  .trim()
  .regex(/^[0-9A-Z]{18}$/, 'an 18-character Unified Social Credit Code');
/** The 19-digit tax classification code (税收分类编码). */
export const TaxCode = z.string().regex(/^\d{19}$/, 'a 19-digit tax classification code');
/** The authority's 20-digit fully digital e-invoice number. */
export const InvoiceNumber = z.string().regex(/^\d{20}$/, 'a 20-digit invoice number');
export const Id = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });

export const InvoiceType = z.enum(['normal', 'special']);

export const Party = z.object({
  name: z.string().trim().min(1).max(200),
  taxId: TaxId.optional(),
});

/** An invoice line as a customer submits it. */
export const LineInput = z.object({
  name: z.string().trim().min(1).max(200),
  taxCode: TaxCode,
  quantity: Decimal,
  unitPrice: Decimal,
  taxRate: TaxRate,
  priceIncludesTax: z.boolean(),
  unit: z.string().max(20).optional(),
  specification: z.string().max(100).optional(),
});

/** A line after the VAT split: what is sent to the authority. */
export const ComputedLine = LineInput.extend({
  lineNo: z.number().int().min(1),
  net: Money,
  tax: Money,
  gross: Money,
});

/**
 * Reasons for a red-letter invoice: 01 开票有误 (issued in error; full reversal only), 02 销货退回 (goods
 * returned), 03 服务中止 (service discontinued), 04 销售折让 (sales allowance).
 */
export const RedLetterReason = z
  .enum(['01', '02', '03', '04'])
  .describe(
    '01 开票有误 issued in error (full reversal only), 02 销货退回 returned, 03 服务中止 discontinued, 04 销售折让 allowance',
  );
export type RedLetterReason = z.infer<typeof RedLetterReason>;

export const Totals = z.object({ net: Money, tax: Money, gross: Money });

export type LineInput = z.infer<typeof LineInput>;
export type ComputedLine = z.infer<typeof ComputedLine>;
export type Totals = z.infer<typeof Totals>;
export type Party = z.infer<typeof Party>;
