import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, 'main.mjs');

describe('npm start (dev supervisor)', () => {
  it('says in one line that MySQL is unreachable, naming the URL and what to do, and exits non-zero', () => {
    const url = 'mysql://fapiao:s3cret@127.0.0.1:1';
    const result = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, MYSQL_URL: url, KAFKA_BROKERS: '127.0.0.1:9' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('mysql://fapiao:***@127.0.0.1:1');
    expect(lines[0]).not.toContain('s3cret');
    expect(lines[0]).toMatch(/MYSQL_URL/);
  });
});
