// `npm run dlq -- list|show|redrive|audit …`: the dead letters of the consuming services through their
// operator API (docs/operations.md "Dead letters waiting"). Exit 0 done, 1 a service refused or failed, 3 usage.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../dev-supervisor/suite.mjs';
import { CONSUMING_SERVICES, formatDeadLetters, formatRedrive, formatRedrives, requestFor } from './dlq.mjs';

const USAGE = `usage: npm run dlq -- list    [filters] [--state DEAD|REDRIVEN|all] [--page n] [--page-size n]
       npm run dlq -- show    <id> [--service s]
       npm run dlq -- redrive --service s [filters] [--id id …] [--limit n] [--dry-run]
       npm run dlq -- audit   [--service s]
  filters:        --topic t  --error-code c  --tenant id  --from ISO-time  --to ISO-time
  --service       ${CONSUMING_SERVICES.join(', ')} (list, show, audit: all of them by default)
  --limit         redrive at most n, oldest first (default 100; the services refuse more than 500)
  --dry-run       answer what would be redriven, change nothing
  --output        text (default) or json
  where:          --target local (default: the ports of \`npm start\` + --port-offset) or --url service=http://…
  who:            --token-file path, else FAPIAO_CLIENT_ID / FAPIAO_CLIENT_SECRET (client credentials),
                  else the demo tenant of .fapiao/dev-credentials.json. A tenant's client (ops:read, ops:write)
                  sees its own tenant; the platform administrator every tenant, or --tenant.
exit code: 0 done, 1 a service refused or failed, 3 bad usage`;

function usage(message) {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(3);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      topic: { type: 'string' },
      'error-code': { type: 'string' },
      tenant: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      state: { type: 'string' },
      page: { type: 'string' },
      'page-size': { type: 'string' },
      id: { type: 'string', multiple: true },
      limit: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      output: { type: 'string', default: 'text' },
      target: { type: 'string', default: 'local' },
      url: { type: 'string', multiple: true, default: [] },
      'port-offset': { type: 'string', default: '0' },
      'token-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  usage(error.message);
}
const { values: args, positionals } = parsed;
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const [command, ...rest] = positionals;
let requests;
try {
  requests = requestFor(command, rest, args);
} catch (error) {
  usage(error.message);
}
if (!['text', 'json'].includes(args.output)) usage(`--output: text or json, not ${args.output}`);

/** Where each service answers: `npm start`'s ports, or --url. */
async function serviceUrls() {
  const urls = {};
  if (args.target === 'local') {
    const { services } = await import('../dev-supervisor/suite.mjs');
    for (const service of services())
      urls[service.name] = `http://127.0.0.1:${service.defaultPort + Number(args['port-offset'])}`;
  } else usage(`--target: only "local", not ${args.target}`);
  for (const entry of args.url) {
    const [name, url] = entry.split(/=(.*)/s);
    if (!name || !url) usage(`--url: service=http://host:port, not ${entry}`);
    urls[name] = url.replace(/\/$/, '');
  }
  return urls;
}

async function bearer(urls) {
  if (args['token-file']) return readFileSync(args['token-file'], 'utf8').trim();
  let credentials;
  if (process.env.FAPIAO_CLIENT_ID && process.env.FAPIAO_CLIENT_SECRET)
    credentials = { clientId: process.env.FAPIAO_CLIENT_ID, clientSecret: process.env.FAPIAO_CLIENT_SECRET };
  else {
    const file = join(ROOT, '.fapiao/dev-credentials.json');
    if (!existsSync(file))
      usage(
        `no token: pass --token-file, set FAPIAO_CLIENT_ID/FAPIAO_CLIENT_SECRET, or run \`npm start\` (${file})`,
      );
    credentials = JSON.parse(readFileSync(file, 'utf8'));
  }
  if (!urls.auth) usage('no auth URL to get a token from: pass --url auth=http://… or --token-file');
  const response = await fetch(`${urls.auth}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => ({}));
  if (response.status !== 200) throw new Error(`auth answered ${response.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

const urls = await serviceUrls();
let token;
try {
  token = await bearer(urls);
} catch (error) {
  console.error(`dlq: ${error.message}`);
  process.exit(1);
}

let failed = false;
const answers = [];
for (const request of requests) {
  const base = urls[request.service];
  if (!base) usage(`no URL for ${request.service}: pass --url ${request.service}=http://…`);
  try {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: request.body && JSON.stringify(request.body),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await response.json().catch(() => undefined);
    // `show` asks every service: the ones that do not hold the id answer 404.
    if (response.status === 404 && request.optional) continue;
    if (!response.ok) failed = true;
    answers.push({ service: request.service, status: response.status, body });
  } catch (error) {
    failed = true;
    answers.push({ service: request.service, status: 0, body: { message: error.message } });
  }
}
if (command === 'show' && answers.length === 0) {
  failed = true;
  answers.push({
    service: '-',
    status: 404,
    body: { code: 'DEAD_LETTER.NOT_FOUND', message: `no service holds ${rest[0]}` },
  });
}

if (args.output === 'json') console.log(JSON.stringify(answers, null, 2));
else {
  for (const { service, status, body } of answers) {
    if (status < 200 || status >= 300) {
      console.log(`✖ ${service}: ${status} ${body?.code ?? ''} ${body?.message ?? ''}`.trim());
      continue;
    }
    if (command === 'list') console.log(formatDeadLetters(service, body));
    else if (command === 'show') console.log(JSON.stringify({ service, ...body }, null, 2));
    else if (command === 'redrive') console.log(formatRedrive(service, body));
    else console.log(formatRedrives(service, body));
  }
}
process.exit(failed ? 1 : 0);
