// The limits of what fapiao runs on, measured in the same run as the suite: MariaDB transactions and
// Kafka's produce rate, so a suite figure can be read against what its infrastructure allows.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Commits of a two-row transaction (business row + outbox row), from 16 concurrent connections, for `seconds`. */
export async function mariadbBaseline(db, seconds = 5) {
  const mysql = require('mysql2/promise');
  const admin = await mysql.createConnection(db);
  await admin.query('CREATE DATABASE IF NOT EXISTS bench_baseline');
  await admin.query(
    'CREATE TABLE IF NOT EXISTS bench_baseline.bench_rows (id CHAR(36) PRIMARY KEY, body LONGTEXT NOT NULL) ENGINE=InnoDB',
  );
  const pool = mysql.createPool({ ...db, database: 'bench_baseline', connectionLimit: 16 });
  const body = 'x'.repeat(1500);
  let commits = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      const connection = await pool.getConnection();
      while (Date.now() < deadline) {
        await connection.beginTransaction();
        await connection.query('INSERT INTO bench_rows VALUES (UUID(), ?), (UUID(), ?)', [body, body]);
        await connection.commit();
        commits += 1;
      }
      connection.release();
    }),
  );
  await pool.end();
  await admin.query('DROP DATABASE bench_baseline');
  await admin.end();
  return { transactionsPerSecond: Math.round(commits / seconds), connections: 16, rowsPerTransaction: 2 };
}

/**
 * Idempotent acks=all produce to a topic of its own (3 partitions, removed afterwards): batched throughput
 * for `seconds`, and the latency of single sends.
 */
export async function brokerBaseline(brokers, seconds = 5) {
  const { Kafka, logLevel, Partitioners } = require('kafkajs');
  const kafka = new Kafka({ clientId: 'fapiao-bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `fapiao-bench.baseline.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const value = 'x'.repeat(1500);
  const single = [];
  for (let i = 0; i < 200; i += 1) {
    const started = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value }] });
    single.push(performance.now() - started);
  }
  single.sort((a, b) => a - b);
  let sent = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, value })),
    });
    sent += 200;
  }
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return {
    batchedMessagesPerSecond: Math.round(sent / seconds),
    singleSendMs: { p50: +percentile(single, 50).toFixed(2), p99: +percentile(single, 99).toFixed(2) },
    messageBytes: value.length,
  };
}
