import { ConfigValidationError } from '@fapiao/platform/config';
import { taxBridgeConfig } from './tax-bridge.config';

const read = (vars: NodeJS.ProcessEnv) => {
  const saved = process.env;
  process.env = vars;
  try {
    return taxBridgeConfig.read();
  } finally {
    process.env = saved;
  }
};

describe('taxBridgeConfig', () => {
  it('bounds the confirmation-form checks: 1 minute to 1 hour by default', () => {
    expect(read({}).formPoll).toEqual({ minMs: 60_000, maxMs: 3_600_000 });
    expect(read({ TAX_FORM_POLL_MS: '500', TAX_FORM_POLL_MAX_MS: '500' }).formPoll).toEqual({
      minMs: 500,
      maxMs: 500,
    });
  });

  it('refuses a longest interval below the first, naming the variable even when left at its default', () => {
    expect(() => read({ TAX_FORM_POLL_MS: '7200000' })).toThrow(ConfigValidationError);
    expect(() => read({ TAX_FORM_POLL_MS: '7200000' })).toThrow(
      /TAX_FORM_POLL_MAX_MS.*must be at least TAX_FORM_POLL_MS \(7200000\)/,
    );
  });

  it("batches up to 50 never-sent issues by default, 1 (never) to the authority's 100, naming the variable", () => {
    expect(read({}).batchMax).toBe(50);
    expect(read({ TAX_FORWARD_BATCH_MAX: '1' }).batchMax).toBe(1);
    expect(read({ TAX_FORWARD_BATCH_MAX: '100' }).batchMax).toBe(100);
    for (const value of ['0', '101', 'many', '2.5']) {
      expect(() => read({ TAX_FORWARD_BATCH_MAX: value })).toThrow(/TAX_FORWARD_BATCH_MAX/);
    }
  });
});
