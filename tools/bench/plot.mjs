// Renders the benchmark's plot: latency CDF (left) and invoices issued per second over the run (right).
import { Resvg } from '@resvg/resvg-js';

const W = 1000;
const H = 445;
const PANEL = { w: 440, h: 320, top: 50 };

const esc = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');

function panel(x0, title, xLabel, yLabel, points, xMax, yMax, color) {
  const sx = (x) => x0 + (x / xMax) * PANEL.w;
  const sy = (y) => PANEL.top + PANEL.h - (y / yMax) * PANEL.h;
  const path = points.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return [
    `<text x="${x0}" y="30" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${x0}" y="${PANEL.top}" width="${PANEL.w}" height="${PANEL.h}" fill="none" stroke="#999"/>`,
    ...ticks.map(
      (t) =>
        `<text x="${sx(t * xMax)}" y="${PANEL.top + PANEL.h + 16}" font-size="11" text-anchor="middle">${Math.round(t * xMax)}</text>` +
        `<text x="${x0 - 6}" y="${sy(t * yMax) + 4}" font-size="11" text-anchor="end">${+(t * yMax).toFixed(2)}</text>` +
        `<line x1="${x0}" x2="${x0 + PANEL.w}" y1="${sy(t * yMax)}" y2="${sy(t * yMax)}" stroke="#eee"/>`,
    ),
    `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`,
    `<text x="${x0 + PANEL.w / 2}" y="${PANEL.top + PANEL.h + 34}" font-size="12" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="${x0 - 40}" y="${PANEL.top + PANEL.h / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 ${x0 - 40} ${PANEL.top + PANEL.h / 2})">${esc(yLabel)}</text>`,
  ].join('\n');
}

/** latenciesMs: sorted order→ISSUED latencies; perSecond: invoices issued in each second of the run. */
export function renderPlot({ latenciesMs, perSecond, subtitle }) {
  const cdf = latenciesMs.map((ms, i) => [ms, (i + 1) / latenciesMs.length]);
  const maxLatency = Math.max(1, latenciesMs.at(-1) ?? 1);
  const timeline = perSecond.map((count, second) => [second, count]);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
${panel(60, 'order → ISSUED latency (CDF)', 'latency (ms)', 'fraction of orders', cdf, maxLatency, 1, '#1f77b4')}
${panel(550, 'invoices issued per second', 'seconds since first order', 'invoices / s', timeline, Math.max(1, perSecond.length - 1), Math.max(1, ...perSecond), '#d62728')}
<text x="${W / 2}" y="${H - 8}" font-size="12" text-anchor="middle" fill="#555">${esc(subtitle)}</text>
</svg>`;
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
}
