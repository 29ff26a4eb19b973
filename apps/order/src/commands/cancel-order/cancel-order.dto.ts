import { z } from 'zod';
import { RedLetterReason } from '@fapiao/contracts';

/** `POST /v1/orders/:id/cancel` body: optional, like its one field. */
export const CancelOrderRequestSchema = z
  .object({
    reasonCode: RedLetterReason.optional().describe(
      'Red-letter reason used when the order is already invoiced and its invoice must be reversed: 01 开票有误 issued in error, 02 销货退回 goods returned (default), 03 服务中止 service discontinued, 04 销售折让 sales allowance',
    ),
  })
  .optional();
export type CancelOrderRequest = z.infer<typeof CancelOrderRequestSchema>;
