// What one invoice costs: CPU time per process and SQL statements and Kafka messages per service, as the
// difference between two snapshots (the start and the end of the bench's measured window) divided by the
// invoices issued. The pure part (parsing, differences, per-invoice figures) is unit-tested in cost.spec.ts;
// the readers below it touch /proc and the services' /metrics.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { metricsUrl } from '../lib/ports.mjs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux we run on). */
export const CLOCK_TICKS = 100;

/** utime + stime of a process in ms, from the text of /proc/<pid>/stat (the command may hold spaces or ')'). */
export function cpuMsFromStat(stat, ticksPerSecond = CLOCK_TICKS) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command, 0-based from `state` (field 3 of proc(5)): utime is 14 → 11, stime 15 → 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Busy and idle ms of the whole machine (all cores summed), from the first line of /proc/stat. */
export function machineMsFromProcStat(text, ticksPerSecond = CLOCK_TICKS) {
  const [, ...ticks] = text.split('\n', 1)[0].trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks;
  const toMs = (n) => (n * 1000) / ticksPerSecond;
  return { busyMs: toMs(user + nice + system + irq + softirq + steal), idleMs: toMs(idle + iowait) };
}

/**
 * Sums of the samples of a Prometheus text exposition, by metric name and by `name{label="value"}` for the
 * labels asked for in `byLabels` (e.g. `{ fapiao_messages_consumed_total: ['outcome'] }`).
 */
export function parsePrometheus(text, byLabels = {}) {
  const sums = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, labelText = '', valueText] = match;
    const value = Number(valueText);
    if (!Number.isFinite(value)) continue;
    sums[name] = (sums[name] ?? 0) + value;
    for (const label of byLabels[name] ?? []) {
      const labelValue = new RegExp(`(?:^|,)${label}="((?:[^"\\\\]|\\\\.)*)"`).exec(labelText)?.[1];
      if (labelValue === undefined) continue;
      const key = `${name}{${label}="${labelValue}"}`;
      sums[key] = (sums[key] ?? 0) + value;
    }
  }
  return sums;
}

/** The metrics the bench reads from every service, with the labels it breaks them down by. */
export const SERVICE_METRICS = {
  cpuUser: 'process_cpu_user_seconds_total',
  cpuSystem: 'process_cpu_system_seconds_total',
  statements: 'fapiao_db_statements_total',
  consumed: 'fapiao_messages_consumed_total',
  published: 'fapiao_outbox_published_total',
};
export const METRIC_LABELS = { [SERVICE_METRICS.consumed]: ['outcome', 'type'] };

const round = (value, digits = 2) => +value.toFixed(digits);

/**
 * Per-invoice figures from two snapshots. A snapshot is `{ atMs, machine?, processes: { name: { cpuMs,
 * source } }, services: { name: <parsePrometheus sums> } }`; a process or service missing from either
 * snapshot is left out. CPU of a process comes from /proc (`cpuMs`) or, when that is missing, from its
 * process_cpu_*_seconds_total metrics.
 */
export function perInvoice(start, end, invoices) {
  const per = (value) => (invoices > 0 ? value / invoices : null);
  const windowMs = end.atMs - start.atMs;
  const cpu = {};
  let totalCpuMs = 0;
  for (const [name, endProcess] of Object.entries(end.processes)) {
    const startProcess = start.processes[name];
    if (!startProcess || endProcess.cpuMs == null || startProcess.cpuMs == null) continue;
    const cpuMs = endProcess.cpuMs - startProcess.cpuMs;
    totalCpuMs += cpuMs;
    cpu[name] = {
      cpuMs: round(cpuMs, 0),
      cpuMsPerInvoice: invoices > 0 ? round(per(cpuMs)) : null,
      coresBusy: windowMs > 0 ? round(cpuMs / windowMs) : null,
      source: endProcess.source,
    };
  }
  const delta = (service, key) => (end.services[service]?.[key] ?? 0) - (start.services[service]?.[key] ?? 0);
  const services = {};
  const totals = { statements: 0, consumed: 0, published: 0 };
  for (const service of Object.keys(end.services)) {
    if (!start.services[service]) continue;
    const counts = {
      statements: delta(service, SERVICE_METRICS.statements),
      consumed: delta(service, SERVICE_METRICS.consumed),
      published: delta(service, SERVICE_METRICS.published),
    };
    for (const key of Object.keys(totals)) totals[key] += counts[key];
    services[service] = Object.fromEntries(
      Object.entries(counts).map(([key, count]) => [key, { count, perInvoice: round(per(count) ?? 0) }]),
    );
    const byOutcome = {};
    for (const key of Object.keys(end.services[service])) {
      const outcome = /^fapiao_messages_consumed_total\{outcome="(.*)"\}$/.exec(key)?.[1];
      if (outcome) byOutcome[outcome] = delta(service, key);
    }
    services[service].consumed.byOutcome = byOutcome;
  }
  const machine =
    start.machine && end.machine
      ? {
          busyMs: round(end.machine.busyMs - start.machine.busyMs, 0),
          idleMs: round(end.machine.idleMs - start.machine.idleMs, 0),
        }
      : null;
  return {
    invoices,
    windowSeconds: round(windowMs / 1000, 1),
    cpu,
    totalCpuMs: round(totalCpuMs, 0),
    totalCpuMsPerInvoice: invoices > 0 ? round(per(totalCpuMs)) : null,
    // Busy time of the whole machine not accounted to the processes above: other work on a shared box.
    machine: machine && {
      ...machine,
      unaccountedBusyMs: round(machine.busyMs - totalCpuMs, 0),
    },
    services,
    statementsPerInvoice: round(per(totals.statements) ?? 0),
    messagesConsumedPerInvoice: round(per(totals.consumed) ?? 0),
    messagesPublishedPerInvoice: round(per(totals.published) ?? 0),
  };
}

/** A service's process CPU in ms from its own metrics (the fallback when its pid is not readable). */
export function cpuMsFromMetrics(sums) {
  const user = sums[SERVICE_METRICS.cpuUser];
  const system = sums[SERVICE_METRICS.cpuSystem];
  return user === undefined || system === undefined ? null : (user + system) * 1000;
}

// ---- readers (Linux) --------------------------------------------------------------------------------

/** utime + stime of `pid` in ms, or null when it is gone or not readable. */
export function readCpuMs(pid) {
  try {
    return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in MB; null when the process cannot be read. */
export function readMemoryMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

export function readMachine() {
  try {
    return machineMsFromProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** The pid of the process listening on TCP `port` (any local address), from /proc/net/tcp{,6} and fds. */
export function pidListeningOn(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; the inode is field 9.
      if (fields.length > 9 && fields[3] === '0A' && parseInt(fields[1].split(':')[1], 16) === port)
        inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/** Every service's metrics, by service name; a service that does not answer is left out. */
export async function readServiceMetrics(urls) {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const response = await fetch(metricsUrl(url), { signal: AbortSignal.timeout(5000) });
        return [name, parsePrometheus(await response.text(), METRIC_LABELS)];
      } catch {
        return [name, undefined];
      }
    }),
  );
  return Object.fromEntries(entries.filter(([, sums]) => sums));
}

/**
 * One snapshot: `pids` name → pid of the processes to read from /proc (services, broker, MariaDB),
 * `urls` service name → base URL, and the bench process itself.
 */
export async function snapshot({ pids, urls }) {
  const services = await readServiceMetrics(urls);
  const processes = {};
  for (const [name, pid] of Object.entries(pids)) {
    const cpuMs = pid ? readCpuMs(pid) : null;
    if (cpuMs !== null) processes[name] = { cpuMs, source: `/proc/${pid}/stat`, memoryMb: readMemoryMb(pid) };
    else if (services[name])
      processes[name] = { cpuMs: cpuMsFromMetrics(services[name]), source: '/metrics' };
  }
  const own = process.cpuUsage();
  processes.bench = { cpuMs: (own.user + own.system) / 1000, source: 'process.cpuUsage()' };
  return { atMs: Date.now(), machine: readMachine(), processes, services };
}

/** A table of the figures for the console, busiest process first. */
export function formatCost(cost) {
  const lines = [
    `CPU over ${cost.windowSeconds} s for ${cost.invoices} invoices — ${cost.totalCpuMsPerInvoice} CPU-ms per invoice in total`,
    '  process              CPU-ms/invoice   cores busy   source',
  ];
  for (const [name, entry] of Object.entries(cost.cpu).sort(([, a], [, b]) => b.cpuMs - a.cpuMs))
    lines.push(
      `  ${name.padEnd(20)} ${String(entry.cpuMsPerInvoice).padStart(14)}   ${String(entry.coresBusy).padStart(10)}   ${entry.source}`,
    );
  if (cost.machine)
    lines.push(
      `  machine busy ${cost.machine.busyMs} ms, of which not the processes above ${cost.machine.unaccountedBusyMs} ms`,
    );
  lines.push('  service              SQL/invoice   consumed/invoice   published/invoice');
  for (const [name, entry] of Object.entries(cost.services))
    lines.push(
      `  ${name.padEnd(20)} ${String(entry.statements.perInvoice).padStart(11)}   ${String(entry.consumed.perInvoice).padStart(16)}   ${String(entry.published.perInvoice).padStart(17)}`,
    );
  lines.push(
    `  total: ${cost.statementsPerInvoice} SQL statements, ${cost.messagesConsumedPerInvoice} messages consumed and ${cost.messagesPublishedPerInvoice} published per invoice`,
  );
  return lines.join('\n');
}

/**
 * Each numeric figure's median over the runs' summaries (the lower middle one of an even count), nested
 * figures (per process) alike; a run without a figure does not count towards its median.
 */
export function medians(summaries) {
  const result = {};
  for (const [key, first] of Object.entries(summaries[0])) {
    const values = summaries.map((summary) => summary[key]);
    if (first !== null && typeof first === 'object') result[key] = medians(values);
    else {
      const sorted = values.filter((value) => typeof value === 'number').sort((a, b) => a - b);
      result[key] = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
    }
  }
  return result;
}
