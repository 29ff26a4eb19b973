// `npm run bench:statements`: what one statement costs the service that sends it (its own CPU, µs), through
// TypeORM's find / query builders and through the plain-SQL helpers the hot path uses
// (libs/platform/persistence/src/plain-sql.ts), on the orders table of a scratch schema. Runs from dist/.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { parseMysqlUrl } from '../dev-supervisor/suite.mjs';

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

/** The sender's CPU per call (user + system, µs), after a warm-up. */
async function cost(name, call) {
  for (let i = 0; i < 300; i += 1) await call(rows[i % ROWS]);
  const before = process.cpuUsage();
  for (let i = 0; i < RUNS; i += 1) await call(rows[i % ROWS]);
  const used = process.cpuUsage(before);
  const perCall = (used.user + used.system) / RUNS;
  console.log(
    `${name.padEnd(44)} ${perCall.toFixed(0).padStart(5)} µs  (system ${(used.system / RUNS).toFixed(0)} µs)`,
  );
  return perCall;
}

console.log(`CPU of the sending process per statement, ${RUNS} runs each:`);
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
await cost('INSERT one row, TypeORM insert builder', () =>
  manager.createQueryBuilder().insert().into(OrderEntity).values(order()).updateEntity(false).execute(),
);
await cost('INSERT one row, insertRows (plain SQL)', () =>
  persistence.insertRows(manager, OrderEntity, [order()]),
);
await cost('SELECT 1, manager.query (the floor)', () => manager.query('SELECT 1'));

await manager.query('DROP DATABASE bench_statement_cost');
await dataSource.destroy();
