// `npm run doctor -- [--target local | --url service=http://host:port … | --kube [--namespace n] [--release r]
// [--context c]] [--kafka host:port] [--output json] [--token-file path]`: which layer is broken, in the style
// of `linkerd check`. Exit 0 all ✔, 1 some ⚠, 2 any ✖.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ROOT } from '../dev-supervisor/suite.mjs';
import { exitCode, formatText, parseServiceUrl, toJson } from './checks.mjs';
import { localTarget, runDoctor } from './doctor.mjs';
import { kubeTarget, runKubeDoctor } from './kube.mjs';

const USAGE = `usage: npm run doctor -- [--target local] [--url service=http://host:port …] [--kafka host:port,…]
                     [--token-file path] [--output text|json] [--port-offset n] [--state-dir dir]
       npm run doctor -- --kube [--namespace n] [--release r] [--context c] [--kubeconfig file] [--output …]
  --target local   the suite of \`npm start\` on this machine: default ports (+ --port-offset), the demo
                   tenant's token from .fapiao/dev-credentials.json (or --state-dir), Kafka from .fapiao/runtime.json
  --url            one service each (repeat); replaces the local ones of the same name
  --kafka          bootstrap brokers (default: KAFKA_BROKERS, then .fapiao/runtime.json)
  --token-file     a bearer token with ops:read and invoices:read (default: one from auth for the demo client)
  --kube           the Helm release in Kubernetes, read-only: pods, hook Jobs, HPA/KEDA, PDBs, endpoints,
                   warning events, then DNS → TCP → HTTP from inside one of its pods (exec). Kubeconfig from
                   --kubeconfig, KUBECONFIG or ~/.kube/config, else the pod's service account
  --namespace      default: the context's namespace, else "default"
  --release        the Helm release name (label app.kubernetes.io/instance; default: fapiao)
  --context        a kubeconfig context (default: the current one)
exit code: 0 all ✔, 1 some ⚠, 2 any ✖ (3: bad usage)`;

function fail(message) {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(3);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      target: { type: 'string' },
      url: { type: 'string', multiple: true, default: [] },
      kafka: { type: 'string' },
      output: { type: 'string', default: 'text' },
      'token-file': { type: 'string' },
      'port-offset': { type: 'string', default: '0' },
      'state-dir': { type: 'string' },
      kube: { type: 'boolean', default: false },
      namespace: { type: 'string' },
      release: { type: 'string', default: 'fapiao' },
      context: { type: 'string' },
      kubeconfig: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.target !== undefined && args.target !== 'local')
  fail(`--target: only "local" here, not ${args.target}`);
if (!['text', 'json'].includes(args.output)) fail(`--output: text or json, not ${args.output}`);
if (args.kube) {
  if (args.target !== undefined || args.url.length)
    fail('--kube checks a cluster: not with --target or --url');
  let target;
  try {
    target = kubeTarget(args);
  } catch (error) {
    fail(error.message);
  }
  const startedAt = new Date().toISOString();
  const results = await runKubeDoctor({ ...target, release: args.release });
  const meta = {
    startedAt,
    target: 'kube',
    context: target.context,
    namespace: target.namespace,
    release: args.release,
  };
  const text =
    args.output === 'json'
      ? JSON.stringify(toJson(results, meta), null, 2)
      : formatText(results, { color: process.stdout.isTTY });
  // Flushed before exiting: an exec's socket may still hold the event loop open.
  await new Promise((resolve) => process.stdout.write(`${text}\n`, resolve));
  process.exit(exitCode(results));
}
for (const flag of ['namespace', 'context', 'kubeconfig']) {
  if (args[flag] !== undefined) fail(`--${flag} goes with --kube`);
}
const portOffset = Number(args['port-offset']);
if (!Number.isInteger(portOffset) || portOffset < 0)
  fail(`--port-offset: a whole number, not ${args['port-offset']}`);

let explicit;
try {
  explicit = Object.fromEntries(args.url.map(parseServiceUrl));
} catch (error) {
  fail(error.message);
}
const local = args.target === 'local' || Object.keys(explicit).length === 0;

let target = {
  urls: {},
  credentials: null,
  credentialsFile: undefined,
  kafkaBrokers: process.env.KAFKA_BROKERS,
};
if (local) {
  try {
    target = await localTarget({ root: ROOT, stateDir: args['state-dir'], portOffset });
  } catch (error) {
    fail(error.message);
  }
}

let token;
if (args['token-file']) {
  try {
    token = readFileSync(args['token-file'], 'utf8').trim();
  } catch (error) {
    fail(`--token-file: ${error.message}`);
  }
}

const startedAt = new Date().toISOString();
const results = await runDoctor({
  urls: { ...target.urls, ...explicit },
  token,
  credentials: target.credentials,
  credentialsFile: target.credentialsFile,
  kafkaBrokers: args.kafka ?? target.kafkaBrokers,
  local,
});

if (args.output === 'json') {
  console.log(JSON.stringify(toJson(results, { startedAt, target: local ? 'local' : 'urls' }), null, 2));
} else {
  console.log(formatText(results, { color: process.stdout.isTTY }));
}
process.exitCode = exitCode(results);
