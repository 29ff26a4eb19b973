/**
 * The short chaos profile inside `npm test`: load over HTTP and Kafka while services are SIGKILLed, the
 * broker goes down, the database is cut and the authority misbehaves — then every invariant of
 * tools/chaos/check.mjs. Its own Kafka and suite, so its faults never touch another test file.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MYSQL_URL } from '@fapiao/testing';

interface ChaosResult {
  ok: boolean;
  table: string;
  invariants: { name: string; violations: unknown[] }[];
  spans: { kind: string; skipped?: string; error?: string }[];
  clients: { accepted: boolean }[];
}
type ChaosModule = { runChaos(options: Record<string, unknown>): Promise<ChaosResult> };
type ProfilesModule = { PROFILES: Record<string, Record<string, number>> };

jest.setTimeout(420_000);

const load = async <T>(file: string): Promise<T> =>
  (await import(pathToFileURL(join(__dirname, file)).href)) as T;

describe('chaos, short profile', () => {
  it('loses nothing and does nothing twice through kills, a broker outage, a database cut and authority faults', async () => {
    const { runChaos } = await load<ChaosModule>('chaos.mjs');
    const { PROFILES } = await load<ProfilesModule>('profiles.mjs');
    const logs: string[] = [];
    const result = await runChaos({
      ...PROFILES.short,
      mysqlUrl: MYSQL_URL,
      portOffset: 900,
      dbPrefix: 'e2e_chaos_',
      quietTimeoutS: 180,
      log: (service: string, line: string) => logs.push(`${service}| ${line}`),
    });
    // The faults really struck (none skipped, none failed to apply) and every client got its order in.
    expect(result.spans.filter((span) => span.skipped || span.error)).toEqual([]);
    expect(new Set(result.spans.map((span) => span.kind))).toEqual(
      new Set(['kill', 'broker-down', 'db-cut', 'authority']),
    );
    expect(result.clients.every((client) => client.accepted)).toBe(true);
    if (!result.ok) {
      // The table names every broken invariant and order; the services' last words help explain it.
      throw new Error(`${result.table}\n\nlast service log lines:\n${logs.slice(-40).join('\n')}`);
    }
  });
});
