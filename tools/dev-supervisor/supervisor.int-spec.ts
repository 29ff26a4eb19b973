import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dropSchemas, MYSQL_URL } from '@fapiao/testing';

const MAIN = join(__dirname, 'main.mjs');
const SUITE = pathToFileURL(join(__dirname, 'suite.mjs')).href;

interface SuiteTools {
  devSecrets(legacyDir?: string): { authKeyEncryptionKey: string };
  services(): { name: string }[];
  suiteEnv(options: object): (service: { name: string }) => Record<string, string>;
  runScript(script: string, env: Record<string, string>, args?: string[]): Promise<string>;
}

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
    expect(lines[0]).toContain('tools/mariadb/ensure-mariadb.sh');
  });

  describe('development secrets are the user’s, not the checkout’s', () => {
    const PREFIX = 'int_checkouts_';
    const home = mkdtempSync(join(tmpdir(), 'fapiao-config-'));
    const checkouts = ['first', 'second'].map((name) => join(home, name, '.fapiao'));
    const saved = process.env['XDG_CONFIG_HOME'];
    let tools: SuiteTools;

    beforeAll(async () => {
      process.env['XDG_CONFIG_HOME'] = join(home, 'config');
      tools = (await import(SUITE)) as SuiteTools;
      await dropSchemas(MYSQL_URL, PREFIX);
    });
    afterAll(async () => {
      if (saved === undefined) delete process.env['XDG_CONFIG_HOME'];
      else process.env['XDG_CONFIG_HOME'] = saved;
      await dropSchemas(MYSQL_URL, PREFIX);
      rmSync(home, { recursive: true, force: true });
    });

    it('adopts a checkout’s older .fapiao/dev-secrets.json and gives every checkout the same key', () => {
      const legacy = { authKeyEncryptionKey: Buffer.alloc(32, 7).toString('base64') };
      mkdirSync(checkouts[0], { recursive: true });
      writeFileSync(join(checkouts[0], 'dev-secrets.json'), JSON.stringify(legacy));
      expect(tools.devSecrets(checkouts[0])).toEqual(legacy);
      expect(tools.devSecrets(checkouts[1])).toEqual(legacy);
      const stored = JSON.parse(readFileSync(join(home, 'config/fapiao/dev-secrets.json'), 'utf8'));
      expect(stored).toEqual(legacy);
    });

    it('lets a second checkout seed and read the signing keys the first one stored', async () => {
      const auth = tools.services().find((service) => service.name === 'auth');
      if (!auth) throw new Error('no auth service in dist/');
      const envOf = (checkout: string) =>
        tools.suiteEnv({
          mysqlUrl: MYSQL_URL,
          kafkaBrokers: '127.0.0.1:9',
          dbPrefix: PREFIX,
          secrets: tools.devSecrets(checkout),
        })(auth);
      await tools.runScript('dist/apps/auth/src/migrate.js', envOf(checkouts[0]));
      for (const checkout of checkouts) {
        const seeded = await tools.runScript('dist/apps/auth/src/cli.js', envOf(checkout), [
          'seed-demo',
          '--out',
          join(checkout, 'dev-credentials.json'),
        ]);
        expect(JSON.parse(seeded)).toMatchObject({ clientId: expect.any(String) });
      }
    }, 60_000);
  });
});
