// `npm run bench:statements`: what one statement costs the service that sends it (its own CPU, µs), through
// TypeORM's find / query builders and through the plain-SQL helpers the hot path uses
// (libs/platform/persistence/src/plain-sql.ts), on the orders table of a scratch schema, and what it costs
// MariaDB (its server process's CPU over the same calls, when it runs on this machine). Runs from dist/.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseMysqlUrl } from '../dev-supervisor/suite.mjs';
import { cpuMsFromStat, pidListeningOn } from './cost.mjs';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { DataSource } = require('typeorm');
const persistence = require('../../dist/libs/platform/persistence/src/index.js');
const { ORDER_SCHEMA } = require('../../dist/apps/order/src/schema.js');
const { OrderEntity } = require('../../dist/apps/order/src/infrastructure/order.entity.js');

const ROWS = 2_000;
const RUNS = Number(process.argv[2] ?? 4_000);
const db = parseMysqlUrl(process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306');
const config = {
  host: db.host,
  port: db.port,
  socketPath: undefined,
  user: db.user,
  password: db.password,
  database: 'bench_statement_cost',
  poolSize: 4,
  connectTimeoutMs: 3_000,
};

await persistence.migrate(config, ORDER_SCHEMA);
const dataSource = await new DataSource(persistence.dataSourceOptions(config, ORDER_SCHEMA)).initialize();
const manager = dataSource.manager;
const order = () => ({
  id: randomUUID(),
  tenantId: randomUUID(),
  sellerTaxId: '91440300708461136T',
  externalId: `EXT-${randomUUID()}`,
  status: 'ACCEPTED',
  invoiceType: 'normal',
  request: JSON.stringify({ lines: [{ name: '软件开发服务', quantity: '1', unitPrice: '100.00' }] }),
  invoiceId: null,
  rejection: null,
  invoicedGross: null,
  reversalError: null,
  version: 1,
});
const rows = Array.from({ length: ROWS }, order);
await persistence.insertRows(manager, OrderEntity, rows);

const mariadbPid = pidListeningOn(db.port);
/** MariaDB's CPU so far (ms), when its process is on this machine. */
const mariadbMs = () => (mariadbPid ? cpuMsFromStat(readFileSync(`/proc/${mariadbPid}/stat`, 'utf8')) : null);

/** The sender's CPU per call (user + system, µs), after a warm-up, and MariaDB's. */
async function cost(name, call) {
  for (let i = 0; i < 300; i += 1) await call(rows[i % ROWS]);
  const before = process.cpuUsage();
  const serverBefore = mariadbMs();
  for (let i = 0; i < RUNS; i += 1) await call(rows[i % ROWS]);
  const used = process.cpuUsage(before);
  const serverAfter = mariadbMs();
  const perCall = (used.user + used.system) / RUNS;
  const server =
    serverBefore === null || serverAfter === null
      ? ''
      : `  MariaDB ${(((serverAfter - serverBefore) * 1000) / RUNS).toFixed(0).padStart(4)} µs`;
  console.log(
    `${name.padEnd(44)} ${perCall.toFixed(0).padStart(5)} µs  (system ${(used.system / RUNS).toFixed(0)} µs)${server}`,
  );
  return perCall;
}

console.log(`CPU per statement, of the sending process and of MariaDB, ${RUNS} runs each:`);
await cost('SELECT by id, TypeORM findOneBy', (row) =>
  manager.findOneBy(OrderEntity, { id: row.id, tenantId: row.tenantId }),
);
await cost('SELECT by id, TypeORM query builder getOne', (row) =>
  manager.createQueryBuilder(OrderEntity, 'o').where('o.id = :id AND o.tenantId = :tenantId', row).getOne(),
);
await cost('SELECT by id, selectRows (plain SQL)', (row) =>
  persistence.selectRows(manager, OrderEntity, 'SELECT * FROM orders WHERE id = ? AND tenant_id = ?', [
    row.id,
    row.tenantId,
  ]),
);
await cost('UPDATE by id, TypeORM update builder', (row) =>
  manager
    .createQueryBuilder()
    .update(OrderEntity)
    .set({ status: 'INVOICING' })
    .where('id = :id', row)
    .execute(),
);
await cost('UPDATE by id, updateRows (plain SQL)', (row) =>
  persistence.updateRows(manager, OrderEntity, { status: 'INVOICING' }, 'id = ?', [row.id]),
);
await cost('UPDATE 20 rows by id, one updateEach statement', (row) => {
  const start = rows.indexOf(row) - (rows.indexOf(row) % 20);
  return persistence.updateEach(
    manager,
    OrderEntity,
    rows
      .slice(start, start + 20)
      .map(({ id }, n) => ({ id, change: { status: n % 2 ? 'INVOICING' : 'INVOICED' } })),
  );
});
await cost('INSERT one row, TypeORM insert builder', () =>
  manager.createQueryBuilder().insert().into(OrderEntity).values(order()).updateEntity(false).execute(),
);
await cost('INSERT one row, insertRows (plain SQL)', () =>
  persistence.insertRows(manager, OrderEntity, [order()]),
);
await cost('SELECT 1, manager.query (the floor)', () => manager.query('SELECT 1'));
await cost('SET TRANSACTION ISOLATION LEVEL (a round trip)', () =>
  manager.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED'),
);
await cost('transaction: START, INSERT one row, COMMIT', () =>
  manager.transaction((tx) => persistence.insertRows(tx, OrderEntity, [order()])),
);

await manager.query('DROP DATABASE bench_statement_cost');
await dataSource.destroy();
