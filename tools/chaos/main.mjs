// `npm run chaos -- --profile long` or `npm run chaos -- --orders 300 --rate 3 --duration 180 --seed 7 --kills 6`:
// load and faults against an own suite (or `--attach` to the one `npm start` runs: authority faults only),
// then every invariant; writes docs/reliability/<label>-history.json and -timeline.png; exit 1 when one fails.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ROOT } from '../dev-supervisor/suite.mjs';
import { runChaos } from './chaos.mjs';
import { PROFILES } from './profiles.mjs';

const NUMBERS = {
  orders: 'orders',
  rate: 'rate',
  duration: 'durationS',
  seed: 'seed',
  kills: 'kills',
  'rolling-restarts': 'rollingRestarts',
  'broker-outages': 'brokerOutages',
  'broker-outage-s': 'brokerOutageS',
  'broker-pauses': 'brokerPauses',
  'broker-pause-s': 'brokerPauseS',
  'db-cuts': 'dbCuts',
  'db-cut-s': 'dbCutS',
  'authority-fault-s': 'authorityFaultS',
  'authority-episode-s': 'authorityEpisodeS',
  'maintenance-windows': 'maintenanceWindows',
  'maintenance-s': 'maintenanceS',
  'quiet-timeout-s': 'quietTimeoutS',
};

const { values: args } = parseArgs({
  options: {
    profile: { type: 'string', default: 'short' },
    attach: { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'docs/reliability') },
    label: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    ...Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, { type: 'string' }])),
  },
});

const profile = PROFILES[args.profile];
if (!profile) {
  console.error(`--profile must be one of ${Object.keys(PROFILES).join(', ')} (got ${args.profile})`);
  process.exit(2);
}
const options = { ...profile };
for (const [flag, key] of Object.entries(NUMBERS)) {
  if (args[flag] === undefined) continue;
  const value = Number(args[flag]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${flag} must be a number ≥ 0 (got ${args[flag]})`);
    process.exit(2);
  }
  options[key] = value;
}

const bar = new cliProgress.SingleBar(
  {
    format: ' {phase} [{bar}] {value}/{total} orders accepted | {seconds}s | {faults}',
    hideCursor: true,
    // Without a terminal (CI, a pipe): one line every 10 s instead of the bar.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  },
  cliProgress.Presets.shades_classic,
);
let started = false;
const onProgress = (event) => {
  if (event.phase === 'load') {
    if (!started) bar.start(event.planned, 0, { phase: 'load ', seconds: 0, faults: '' });
    started = true;
    bar.update(event.accepted, {
      phase: 'load ',
      seconds: Math.round(event.t / 1000),
      faults: event.activeFaults.length ? `faults: ${event.activeFaults.join(', ')}` : 'no fault',
    });
  } else if (started) {
    bar.update({
      phase: 'quiet',
      seconds: Math.round(event.t / 1000),
      faults: `${event.moving} orders moving, ${event.sagas} sagas open, tax queue ${event.queue}`,
    });
  }
};

const result = await runChaos({
  ...options,
  attach: args.attach,
  mysqlUrl: process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306',
  outDir: args.out,
  label: args.label ?? args.profile,
  onProgress,
  log: args.verbose ? (service, line) => console.error(`${service}| ${line}`) : undefined,
});
bar.stop();
console.log(result.table);
console.log(
  `\nhistory and timeline: ${join(args.out, `${args.label ?? args.profile}-history.json`)}, …-timeline.png`,
);
process.exit(result.ok ? 0 : 1);
