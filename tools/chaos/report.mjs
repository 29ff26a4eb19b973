// What a chaos run leaves: a table on the console, a JSON history and a PNG timeline.
import { Resvg } from '@resvg/resvg-js';
import { Kafka, logLevel } from 'kafkajs';
import { metricsUrl } from '../lib/ports.mjs';

const esc = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const FAULT_COLORS = {
  kill: '#d62728',
  'rolling-restart': '#ff7f0e',
  'broker-down': '#9467bd',
  'broker-pause': '#c5b0d5',
  'db-cut': '#8c564b',
  authority: '#2ca02c',
};

/**
 * Samples every second what queues up: the consumer groups' lag read from the broker (committed offsets
 * against the log end, so a stuck consumer shows, not only what it reports after a batch) and tax-bridge's
 * store-and-forward queue. A sample is null while its source does not answer.
 */
export function startSampler(urls, kafkaBrokers, now) {
  const samples = [];
  const kafka = new Kafka({
    clientId: 'fapiao-chaos-sampler',
    brokers: kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    requestTimeout: 800,
    connectionTimeout: 800,
  });
  let admin;
  const consumerLag = async () => {
    try {
      if (!admin) {
        admin = kafka.admin();
        await admin.connect();
      }
      const { groups } = await admin.listGroups();
      const ends = new Map();
      let lag = 0;
      for (const { groupId } of groups.filter(
        (g) => g.groupId.startsWith('fapiao-') && !g.groupId.startsWith('fapiao-chaos'),
      )) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          if (!ends.has(topic)) ends.set(topic, await admin.fetchTopicOffsets(topic));
          for (const { partition, offset } of partitions) {
            const end = ends.get(topic).find((p) => p.partition === partition);
            const committed = Number(offset) < 0 ? Number(end.low) : Number(offset);
            lag += Math.max(0, Number(end.high) - committed);
          }
        }
      }
      return lag;
    } catch {
      const broken = admin;
      admin = undefined;
      await broken?.disconnect().catch(() => {});
      return null;
    }
  };
  const taxQueue = async () => {
    try {
      const text = await (
        await fetch(metricsUrl(urls['tax-bridge']), { signal: AbortSignal.timeout(800) })
      ).text();
      const line = text.split('\n').find((l) => l.startsWith('fapiao_tax_store_forward_depth'));
      return line ? Number(line.split(' ').pop()) : null;
    } catch {
      return null;
    }
  };
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    const t = now();
    const [lag, queue] = await Promise.all([consumerLag(), taxQueue()]);
    samples.push({ t, consumerLag: lag, taxQueue: queue });
    busy = false;
  }, 1000);
  return {
    samples,
    stop: async () => {
      clearInterval(timer);
      await admin?.disconnect().catch(() => {});
    },
  };
}

/** Per second of the run: counts of `times` (ms since the start). */
function perSecond(times, seconds) {
  const counts = new Array(seconds).fill(0);
  for (const t of times) if (t >= 0 && t < seconds * 1000) counts[Math.floor(t / 1000)]++;
  return counts;
}

/**
 * The timeline: orders accepted and invoices issued per second over fault bands, then the queues.
 * `issuedMs`: ms since the start of every invoice the authority issued.
 */
export function renderTimeline({ acceptedMs, issuedMs, spans, samples, endMs, title }) {
  const W = 1200;
  const left = 120;
  const plotW = W - left - 30;
  const seconds = Math.max(1, Math.ceil(endMs / 1000));
  const x = (ms) => left + (ms / (seconds * 1000)) * plotW;
  const accepted = perSecond(acceptedMs, seconds);
  const issued = perSecond(issuedMs, seconds);
  // 5-second moving sums read better than single seconds at a few orders per second.
  const smooth = (counts) =>
    counts.map((_, i) => counts.slice(Math.max(0, i - 4), i + 1).reduce((a, b) => a + b, 0) / 5);
  const line = (values, top, height, max, color) => {
    const path = values
      .map((v, i) =>
        v === null ? null : `${x(i * 1000).toFixed(1)},${(top + height - (v / max) * height).toFixed(1)}`,
      )
      .map((p, i, all) => (p === null ? '' : `${i === 0 || all[i - 1] === null ? 'M' : 'L'}${p}`))
      .join(' ');
    return `<path d="${path}" fill="none" stroke="${color}" stroke-width="1.6"/>`;
  };
  const axis = (top, height, max, label) =>
    [0, 0.5, 1]
      .map(
        (f) =>
          `<line x1="${left}" x2="${left + plotW}" y1="${top + height - f * height}" y2="${top + height - f * height}" stroke="#eee"/>` +
          `<text x="${left - 6}" y="${top + height - f * height + 4}" font-size="11" text-anchor="end">${+(f * max).toFixed(1)}</text>`,
      )
      .join('') +
    `<text x="16" y="${top + height / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${top + height / 2})">${esc(label)}</text>` +
    `<rect x="${left}" y="${top}" width="${plotW}" height="${height}" fill="none" stroke="#999"/>`;

  const kinds = Object.keys(FAULT_COLORS);
  const bandTop = 50;
  const band = 14;
  const faultRows = kinds
    .map((kind, row) => {
      const y = bandTop + row * (band + 4);
      const marks = spans
        .filter((span) => span.kind === kind && !span.skipped)
        .map((span) => {
          const width = Math.max(2, x(span.endMs ?? span.startMs) - x(span.startMs));
          return `<rect x="${x(span.startMs).toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${band}" fill="${FAULT_COLORS[kind]}" opacity="0.8"><title>${esc(span.name ?? kind)}</title></rect>`;
        })
        .join('');
      return `<text x="${left - 6}" y="${y + 11}" font-size="11" text-anchor="end">${kind}</text>${marks}`;
    })
    .join('');

  const rateTop = bandTop + kinds.length * (band + 4) + 20;
  const rateH = 220;
  const a = smooth(accepted);
  const b = smooth(issued);
  const rateMax = Math.max(1, ...a, ...b);
  const queueTop = rateTop + rateH + 40;
  const queueH = 160;
  const bySecond = (key) => {
    const values = new Array(seconds).fill(null);
    for (const sample of samples) {
      const i = Math.floor(sample.t / 1000);
      if (i < seconds && sample[key] !== null) values[i] = sample[key];
    }
    return values;
  };
  const lag = bySecond('consumerLag');
  const queue = bySecond('taxQueue');
  const queueMax = Math.max(1, ...lag.filter((v) => v !== null), ...queue.filter((v) => v !== null));
  const H = queueTop + queueH + 60;
  const ticks = Array.from({ length: 7 }, (_, i) => Math.round((i / 6) * seconds));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${left}" y="28" font-size="16" font-weight="bold">${esc(title)}</text>
${faultRows}
${axis(rateTop, rateH, rateMax, 'per second (5 s mean)')}
${line(a, rateTop, rateH, rateMax, '#1f77b4')}
${line(b, rateTop, rateH, rateMax, '#d62728')}
<text x="${left + 8}" y="${rateTop + 16}" font-size="12" fill="#1f77b4">orders accepted</text>
<text x="${left + 160}" y="${rateTop + 16}" font-size="12" fill="#d62728">invoices issued at the authority (blue + red)</text>
${axis(queueTop, queueH, queueMax, 'queued')}
${line(lag, queueTop, queueH, queueMax, '#9467bd')}
${line(queue, queueTop, queueH, queueMax, '#2ca02c')}
<text x="${left + 8}" y="${queueTop + 16}" font-size="12" fill="#9467bd">Kafka consumer lag (all groups, from the broker)</text>
<text x="${left + 400}" y="${queueTop + 16}" font-size="12" fill="#2ca02c">tax-bridge store-and-forward queue</text>
${ticks.map((s) => `<text x="${x(s * 1000)}" y="${queueTop + queueH + 16}" font-size="11" text-anchor="middle">${s}</text>`).join('')}
<text x="${left + plotW / 2}" y="${queueTop + queueH + 36}" font-size="12" text-anchor="middle">seconds since the first order</text>
</svg>`;
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
}

/** The console table: one row per invariant, then every violation (at most `limit` per invariant). */
export function formatResult({ invariants, figures, limit = 20 }) {
  const lines = ['', 'Invariants'];
  const width = Math.max(...invariants.map((i) => i.name.length));
  for (const { name, description, violations } of invariants) {
    const mark = violations.length === 0 ? '✔' : '✖';
    lines.push(
      `  ${mark} ${name.padEnd(width)}  ${violations.length === 0 ? 'ok' : `${violations.length} violation(s)`}  — ${description}`,
    );
  }
  for (const { name, violations } of invariants.filter((i) => i.violations.length)) {
    lines.push('', `✖ ${name}:`);
    for (const v of violations.slice(0, limit)) lines.push(`    ${v.order ?? '-'}: ${v.detail}`);
    if (violations.length > limit)
      lines.push(`    … and ${violations.length - limit} more (see the JSON history)`);
  }
  lines.push('', 'Run');
  const fw = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures)) lines.push(`  ${key.padEnd(fw)}  ${value}`);
  return lines.join('\n');
}
