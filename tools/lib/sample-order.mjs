// The order body the tools send (the README's example): one line of software development services at 6 %.

/** `unitPrice` is the gross price of the one line (quantity 1). */
export const sampleOrderBody = (externalId, unitPrice = '1000.00') => ({
  externalId,
  invoiceType: 'normal',
  buyer: { name: '深圳市腾讯计算机系统有限公司', taxId: '91440300708461136T' },
  lines: [
    {
      name: '*信息技术服务*软件开发服务',
      taxCode: '3040201010000000000',
      quantity: '1',
      unitPrice,
      taxRate: '0.06',
      priceIncludesTax: true,
    },
  ],
});
