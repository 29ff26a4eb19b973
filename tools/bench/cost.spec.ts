import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Sums = Record<string, number>;
interface Snapshot {
  atMs: number;
  machine?: { busyMs: number; idleMs: number } | null;
  processes: Record<string, { cpuMs: number | null; source: string }>;
  services: Record<string, Sums>;
}
interface CostModule {
  cpuMsFromStat(stat: string, ticksPerSecond?: number): number;
  machineMsFromProcStat(text: string): { busyMs: number; idleMs: number };
  parsePrometheus(text: string, byLabels?: Record<string, string[]>): Sums;
  cpuMsFromMetrics(sums: Sums): number | null;
  perInvoice(start: Snapshot, end: Snapshot, invoices: number): Record<string, unknown>;
  pidListeningOn(port: number): number | null;
  medians(summaries: Record<string, unknown>[]): Record<string, unknown>;
}

describe('bench cost per invoice', () => {
  let cost: CostModule;
  beforeAll(async () => {
    cost = (await import(pathToFileURL(join(__dirname, 'cost.mjs')).href)) as CostModule;
  });

  it('reads utime + stime from /proc/<pid>/stat, whatever the command name holds', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const stat = '4242 (node) weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 566 7 8 20 0 11';
    expect(cost.cpuMsFromStat(stat)).toBe(18_000);
    expect(cost.cpuMsFromStat(stat, 1000)).toBe(1_800);
  });

  it('reads the machine busy and idle time from /proc/stat', () => {
    const text = 'cpu  100 10 50 1000 20 5 5 0 0 0\ncpu0 50 5 25 500 10 2 3 0 0 0\n';
    expect(cost.machineMsFromProcStat(text)).toEqual({ busyMs: 1_700, idleMs: 10_200 });
  });

  it('sums Prometheus samples by name and by the labels asked for', () => {
    const text = [
      '# HELP fapiao_messages_consumed_total Messages handled by consumers',
      '# TYPE fapiao_messages_consumed_total counter',
      'fapiao_messages_consumed_total{topic="fapiao.orders.v1",type="OrderPlaced",outcome="processed",service="invoice"} 10',
      'fapiao_messages_consumed_total{topic="fapiao.orders.v1",type="OrderPlaced",outcome="duplicate",service="invoice"} 2',
      'fapiao_messages_consumed_total{topic="fapiao.invoices.v1",type="InvoiceIssued",outcome="processed",service="invoice"} 5',
      'fapiao_db_statements_total{service="invoice"} 321',
      'process_cpu_user_seconds_total{service="invoice"} 1.5',
      'process_cpu_system_seconds_total{service="invoice"} 0.25',
      'nodejs_heap_space_size_total_bytes{space="new",service="invoice"} NaN',
      '',
    ].join('\n');
    const sums = cost.parsePrometheus(text, { fapiao_messages_consumed_total: ['outcome', 'type'] });
    expect(sums.fapiao_messages_consumed_total).toBe(17);
    expect(sums['fapiao_messages_consumed_total{outcome="processed"}']).toBe(15);
    expect(sums['fapiao_messages_consumed_total{outcome="duplicate"}']).toBe(2);
    expect(sums['fapiao_messages_consumed_total{type="OrderPlaced"}']).toBe(12);
    expect(sums.fapiao_db_statements_total).toBe(321);
    expect(sums.nodejs_heap_space_size_total_bytes).toBeUndefined();
    expect(cost.cpuMsFromMetrics(sums)).toBe(1_750);
    expect(cost.cpuMsFromMetrics({})).toBeNull();
  });

  it('divides the differences between the two snapshots by the invoices issued', () => {
    const start: Snapshot = {
      atMs: 0,
      machine: { busyMs: 1_000, idleMs: 5_000 },
      processes: {
        invoice: { cpuMs: 1_000, source: '/proc/1/stat' },
        kafka: { cpuMs: 50_000, source: '/proc/2/stat' },
        gone: { cpuMs: 10, source: '/proc/3/stat' },
      },
      services: {
        invoice: {
          fapiao_db_statements_total: 100,
          fapiao_messages_consumed_total: 10,
          'fapiao_messages_consumed_total{outcome="processed"}': 10,
          fapiao_outbox_published_total: 5,
        },
      },
    };
    const end: Snapshot = {
      atMs: 10_000,
      machine: { busyMs: 19_000, idleMs: 7_000 },
      processes: {
        invoice: { cpuMs: 9_000, source: '/proc/1/stat' },
        kafka: { cpuMs: 54_000, source: '/proc/2/stat' },
        born: { cpuMs: 99, source: '/proc/4/stat' },
      },
      services: {
        invoice: {
          fapiao_db_statements_total: 4_100,
          fapiao_messages_consumed_total: 410,
          'fapiao_messages_consumed_total{outcome="processed"}': 400,
          'fapiao_messages_consumed_total{outcome="duplicate"}': 10,
          fapiao_outbox_published_total: 605,
        },
        order: { fapiao_db_statements_total: 5 }, // not in the first snapshot: left out
      },
    };
    expect(cost.perInvoice(start, end, 200)).toEqual({
      invoices: 200,
      windowSeconds: 10,
      cpu: {
        invoice: { cpuMs: 8_000, cpuMsPerInvoice: 40, coresBusy: 0.8, source: '/proc/1/stat' },
        kafka: { cpuMs: 4_000, cpuMsPerInvoice: 20, coresBusy: 0.4, source: '/proc/2/stat' },
      },
      totalCpuMs: 12_000,
      totalCpuMsPerInvoice: 60,
      machine: { busyMs: 18_000, idleMs: 2_000, unaccountedBusyMs: 6_000 },
      services: {
        invoice: {
          statements: { count: 4_000, perInvoice: 20 },
          consumed: { count: 400, perInvoice: 2, byOutcome: { processed: 390, duplicate: 10 } },
          published: { count: 600, perInvoice: 3 },
        },
      },
      statementsPerInvoice: 20,
      messagesConsumedPerInvoice: 2,
      messagesPublishedPerInvoice: 3,
    });
  });

  it('gives no per-invoice CPU when nothing was issued (the idle sample)', () => {
    const snap = (cpuMs: number, atMs: number): Snapshot => ({
      atMs,
      processes: { order: { cpuMs, source: '/metrics' } },
      services: {},
    });
    const idle = cost.perInvoice(snap(100, 0), snap(400, 5_000), 0);
    expect(idle).toMatchObject({
      cpu: { order: { cpuMs: 300, cpuMsPerInvoice: null, coresBusy: 0.06 } },
      totalCpuMsPerInvoice: null,
      machine: null,
    });
  });

  it('finds the pid listening on a port', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(cost.pidListeningOn(port)).toBe(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('takes each figure’s median over the runs, the lower middle one of an even count', () => {
    const run = (issued: number, p99: number | null, order: number) => ({
      throughputIssuedPerSecond: issued,
      p99Ms: p99,
      cpuMsPerInvoiceBy: { order, kafka: 1 },
    });
    expect(cost.medians([run(140, 900, 2.4), run(120, 1500, 2.1), run(150, 700, 2.9)])).toEqual({
      throughputIssuedPerSecond: 140,
      p99Ms: 900,
      cpuMsPerInvoiceBy: { order: 2.4, kafka: 1 },
    });
    // A run without a figure (nothing issued) does not count towards its median.
    expect(cost.medians([run(100, null, 2), run(90, 800, 3), run(110, 600, 1), run(95, 700, 4)])).toEqual({
      throughputIssuedPerSecond: 95,
      p99Ms: 700,
      cpuMsPerInvoiceBy: { order: 2, kafka: 1 },
    });
  });
});
