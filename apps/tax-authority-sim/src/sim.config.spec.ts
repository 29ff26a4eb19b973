import { isLoopback, simConfig } from './sim.config';

describe('simConfig: the admin token', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const read = (env: Record<string, string | undefined>) => {
    process.env = { ...saved, SIM_ADMIN_TOKEN: undefined, HOST: undefined, ...env };
    return simConfig.read();
  };

  it('is required unless the simulator is bound to loopback, naming SIM_ADMIN_TOKEN', () => {
    expect(() => read({})).toThrow(/SIM_ADMIN_TOKEN: is required unless HOST is a loopback address/);
    expect(() => read({ HOST: '10.0.0.7' })).toThrow(/SIM_ADMIN_TOKEN/);
    expect(read({ HOST: '127.0.0.1' }).adminToken).toBeNull();
    expect(read({ HOST: '::1' }).adminToken).toBeNull();
  });

  it('is at least 16 characters and never printed', () => {
    expect(() => read({ HOST: '127.0.0.1', SIM_ADMIN_TOKEN: 'short' })).toThrow(/SIM_ADMIN_TOKEN/);
    const config = read({ SIM_ADMIN_TOKEN: 'a-long-enough-admin-token' });
    expect(config.adminToken?.reveal()).toBe('a-long-enough-admin-token');
    expect(JSON.stringify(config)).not.toContain('a-long-enough-admin-token');
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '127.0.0.1.example.com', '']) {
      expect(isLoopback(host)).toBe(false);
    }
  });
});
