// `fapiao doctor`: walks the layers (DNS → TCP → TLS → HTTP → database → Kafka → authority → sagas,
// discrepancies, dead letters) for every service it is given and returns one verdict per check.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FAIL,
  PASS,
  WARN,
  evaluateAuthority,
  evaluateBrokers,
  evaluateClientCertificate,
  evaluateDatabase,
  evaluateDeadLetters,
  evaluateDiscrepancies,
  evaluateDns,
  evaluateLag,
  evaluateLiveness,
  evaluateReadiness,
  evaluateSagas,
  evaluateTcp,
  evaluateTls,
  metricValue,
  readinessDetail,
  result,
  skipped,
} from './checks.mjs';
import { dnsProbe, fetchToken, httpProbe, kafkaProbe, tcpProbe, tlsProbe } from './probes.mjs';
import { metricsUrl } from '../lib/ports.mjs';

const isLoopback = (host) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * Where the `npm start` suite is: every service on its default port (+ `portOffset`), the demo tenant's
 * credentials and the Kafka of `stateDir` (`.fapiao/` of the checkout: dev-credentials.json, runtime.json).
 */
export async function localTarget({
  root,
  stateDir = join(root, '.fapiao'),
  portOffset = 0,
  host = '127.0.0.1',
}) {
  const { services } = await import('../dev-supervisor/suite.mjs');
  let identities;
  try {
    identities = services();
  } catch (error) {
    throw new Error(`cannot find the services' ports: ${error.message}`);
  }
  const urls = Object.fromEntries(
    identities.map((s) => [s.name, `http://${host}:${s.defaultPort + portOffset}`]),
  );
  const credentialsFile = join(stateDir, 'dev-credentials.json');
  const runtimeFile = join(stateDir, 'runtime.json');
  return {
    urls,
    credentials: existsSync(credentialsFile) ? JSON.parse(readFileSync(credentialsFile, 'utf8')) : null,
    credentialsFile,
    kafkaBrokers:
      process.env.KAFKA_BROKERS ||
      (existsSync(runtimeFile) ? JSON.parse(readFileSync(runtimeFile, 'utf8')).kafkaBrokers : undefined),
  };
}

/** The layers of one service up to its readiness and database; returns the checks and whether it answers. */
async function checkService(name, base, { local }) {
  const url = new URL(base);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const checks = [];
  const skipRest = (because) => {
    for (const [layer, check] of [
      ['http', '/healthz'],
      ['http', '/readyz'],
      ['database', 'reachable'],
    ]) {
      checks.push(skipped({ layer, name: check, target: name, because }));
    }
    return { checks, answers: false, readyBody: null };
  };

  const dns = await dnsProbe(host);
  checks.push(evaluateDns({ service: name, ...dns }));
  if (dns.error) return skipRest('DNS failed');

  const tcp = await tcpProbe(host, port);
  checks.push(evaluateTcp({ service: name, local: local || isLoopback(host), ...tcp }));
  if (tcp.error) return skipRest('TCP connect failed');

  if (url.protocol === 'https:') {
    const tls = await tlsProbe(host, port);
    const verdict = evaluateTls({ service: name, ...tls });
    checks.push(verdict);
    // A client that verifies (fetch, the services' callers) would not get further either.
    if (verdict.status === FAIL) return skipRest('TLS failed');
  }

  const live = await httpProbe(`${base}/healthz`);
  checks.push(evaluateLiveness({ service: name, url: base, ...live }));
  const ready = await httpProbe(`${base}/readyz`);
  checks.push(evaluateReadiness({ service: name, url: base, ...ready }));
  // Another engineer's /health/deps, when this build has it: latency and detail per dependency.
  const deps = await httpProbe(`${base}/health/deps`);
  const depsBody =
    !deps.error && deps.status === 200 && Array.isArray(deps.body?.dependencies) ? deps.body : null;
  const database = evaluateDatabase({ service: name, url: base, readyBody: ready.body, deps: depsBody });
  if (database) checks.push(database);
  return { checks, answers: !live.error, readyBody: ready.body };
}

async function obtainToken({ token, credentials, credentialsFile, urls, answering }) {
  if (token) return { token, check: null };
  if (!credentials) {
    return {
      token: null,
      check: result({
        layer: 'http',
        name: 'token',
        target: 'auth',
        status: WARN,
        summary: `no token: pass --token-file (a token with ops:read and invoices:read)${
          credentialsFile ? ` or run npm start (writes ${credentialsFile})` : ''
        }; authority, saga and discrepancy checks skipped`,
        runbook: 'service',
        next: 'npm run doctor -- --token-file <file>',
      }),
    };
  }
  if (!urls.auth || !answering.has('auth')) {
    return {
      token: null,
      check: skipped({ layer: 'http', name: 'token', target: 'auth', because: 'auth does not answer' }),
    };
  }
  const started = performance.now();
  try {
    const issued = await fetchToken(urls.auth, credentials);
    return {
      token: issued,
      check: result({
        layer: 'http',
        name: 'token',
        target: 'auth',
        status: PASS,
        summary: `client_credentials token for ${credentials.clientId}`,
        ms: performance.now() - started,
      }),
    };
  } catch (error) {
    return {
      token: null,
      check: result({
        layer: 'http',
        name: 'token',
        target: 'auth',
        status: FAIL,
        summary: `auth refused the client_credentials grant: ${error.message}`,
        ms: performance.now() - started,
        runbook: 'service',
        next: `curl -s -d grant_type=client_credentials -d client_id=… -d client_secret=… ${urls.auth}/oauth/token`,
      }),
    };
  }
}

async function checkKafka(brokers) {
  if (!brokers) {
    return [
      result({
        layer: 'kafka',
        name: 'broker metadata',
        status: WARN,
        summary: 'brokers unknown: pass --kafka host:port (or run doctor beside npm start)',
        runbook: 'kafka',
        next: 'npm run doctor -- --kafka 127.0.0.1:9092',
      }),
    ];
  }
  const probe = await kafkaProbe(brokers);
  const checks = [evaluateBrokers({ brokers, ...probe.metadata })];
  if (probe.metadata.error) {
    checks.push(
      skipped({ layer: 'kafka', name: 'consumer lag', target: brokers, because: 'no broker metadata' }),
    );
    checks.push(
      skipped({ layer: 'dead-letters', name: 'DLQ depth', target: brokers, because: 'no broker metadata' }),
    );
    return checks;
  }
  if (probe.lag.error) {
    checks.push(
      result({
        layer: 'kafka',
        name: 'consumer lag',
        target: brokers,
        status: FAIL,
        summary: `cannot read the consumer groups: ${probe.lag.error.message}`,
        ms: probe.lag.ms,
        runbook: 'lag',
        next: `kafka-consumer-groups.sh --bootstrap-server ${brokers} --list`,
      }),
    );
  } else {
    checks.push(...evaluateLag({ brokers, groups: probe.lag.groups, ms: probe.lag.ms }));
  }
  checks.push(evaluateDeadLetters({ brokers, ...probe.deadLetters }));
  return checks;
}

async function checkAuthority(url, token, readyBody) {
  const status = await httpProbe(`${url}/v1/authority/status`, { token });
  const checks = [evaluateAuthority({ url, httpStatus: status.status, ...status })];
  const metrics = await httpProbe(metricsUrl(url));
  checks.push(
    evaluateClientCertificate({
      url,
      readiness: readinessDetail(readyBody, 'clientCertificate'),
      error: metrics.error ?? (metrics.status !== 200 ? new Error(`HTTP ${metrics.status}`) : undefined),
      days:
        typeof metrics.body === 'string'
          ? metricValue(metrics.body, 'fapiao_tax_client_cert_expiry_days')
          : null,
    }),
  );
  return checks;
}

async function checkSagas(url, token) {
  const started = performance.now();
  const attention = await httpProbe(`${url}/v1/sagas?state=NEEDS_ATTENTION&pageSize=20`, { token });
  if (attention.error || attention.status !== 200) {
    return evaluateSagas({ url, httpStatus: attention.status, error: attention.error, ms: attention.ms });
  }
  const running = await httpProbe(`${url}/v1/sagas?state=RUNNING&pageSize=200`, { token });
  const compensating = await httpProbe(`${url}/v1/sagas?state=COMPENSATING&pageSize=200`, { token });
  const metrics = await httpProbe(metricsUrl(url));
  const items = (probe) => (probe.status === 200 ? probe.body.items : []);
  return evaluateSagas({
    url,
    httpStatus: 200,
    attention: attention.body,
    running: [...items(running), ...items(compensating)],
    metric:
      typeof metrics.body === 'string' ? metricValue(metrics.body, 'fapiao_sagas_needing_attention') : null,
    ms: performance.now() - started,
  });
}

async function checkDiscrepancies(url, token) {
  const page = await httpProbe(`${url}/v1/reconciliation/discrepancies?state=open&pageSize=20`, { token });
  return evaluateDiscrepancies({
    url,
    httpStatus: page.status,
    page: page.body,
    error: page.error,
    ms: page.ms,
  });
}

const OPERATOR_SERVICES = ['tax-bridge', 'invoice', 'reconciliation'];

/**
 * Runs every check. `urls`: { service: base URL }; `token`: a bearer token, or `credentials` to get one
 * from auth; `kafkaBrokers`: "host:port,…" (or undefined: the Kafka layer says it does not know).
 */
export async function runDoctor({ urls, token, credentials, credentialsFile, kafkaBrokers, local = false }) {
  const checks = [];
  const answering = new Set();
  const readyBodies = {};
  const perService = await Promise.all(
    Object.entries(urls).map(async ([name, base]) => [name, await checkService(name, base, { local })]),
  );
  for (const [name, outcome] of perService) {
    checks.push(...outcome.checks);
    if (outcome.answers) answering.add(name);
    readyBodies[name] = outcome.readyBody;
  }

  // A token only matters for the operator endpoints: no warning about it when none of them is checked.
  const needsToken = OPERATOR_SERVICES.some((service) => urls[service]);
  const [{ token: bearer, check: tokenCheck }, kafka] = await Promise.all([
    needsToken
      ? obtainToken({ token, credentials, credentialsFile, urls, answering })
      : { token: null, check: null },
    checkKafka(kafkaBrokers),
  ]);
  if (tokenCheck) checks.push(tokenCheck);
  checks.push(...kafka);

  const operator = [
    ['tax-bridge', 'authority', 'status', (url) => checkAuthority(url, bearer, readyBodies['tax-bridge'])],
    ['invoice', 'sagas', 'stuck sagas', (url) => checkSagas(url, bearer)],
    ['reconciliation', 'reconciliation', 'open discrepancies', (url) => checkDiscrepancies(url, bearer)],
  ];
  const operatorChecks = await Promise.all(
    operator
      .filter(([service]) => urls[service])
      .map(([service, layer, name, run]) => {
        if (!answering.has(service))
          return skipped({ layer, name, target: service, because: `${service} does not answer` });
        if (!bearer) return skipped({ layer, name, target: service, because: 'no token' });
        return run(urls[service]);
      }),
  );
  checks.push(...operatorChecks.flat());
  return checks;
}

export { FAIL, PASS, WARN };
