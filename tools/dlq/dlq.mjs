// What `npm run dlq` asks each service and how it prints the answers (main.mjs does the I/O).

/** The services with Kafka consumers, so with dead letters (KAFKA_SERVICE_TOPICS of libs/contracts). */
export const CONSUMING_SERVICES = ['order', 'invoice', 'tax-bridge', 'reconciliation'];

const FILTERS = { topic: 'topic', 'error-code': 'errorCode', tenant: 'tenantId', from: 'from', to: 'to' };

function filterOf(args) {
  return Object.fromEntries(
    Object.entries(FILTERS)
      .filter(([option]) => args[option] !== undefined)
      .map(([option, field]) => [field, args[option]]),
  );
}

function servicesOf(args) {
  if (args.service === undefined) return CONSUMING_SERVICES;
  if (!CONSUMING_SERVICES.includes(args.service))
    throw new Error(`--service: one of ${CONSUMING_SERVICES.join(', ')}, not ${args.service}`);
  return [args.service];
}

function positiveInt(name, value) {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`--${name}: a whole number ≥ 1, not ${value}`);
  return Number(value);
}

/**
 * The HTTP requests of one command: [{ service, method, path, body?, optional? }]. Throws on bad usage.
 * Redrive names one service: the ids and the limit are that service's.
 */
export function requestFor(command, positionals, args) {
  switch (command) {
    case 'list': {
      const query = new URLSearchParams(filterOf(args));
      if (args.state) query.set('state', args.state);
      const page = positiveInt('page', args.page);
      const pageSize = positiveInt('page-size', args['page-size']);
      if (page) query.set('page', String(page));
      if (pageSize) query.set('pageSize', String(pageSize));
      const search = query.size ? `?${query}` : '';
      return servicesOf(args).map((service) => ({
        service,
        method: 'GET',
        path: `/v1/dead-letters${search}`,
      }));
    }
    case 'show': {
      const [id] = positionals;
      if (!id) throw new Error('show: which dead letter? npm run dlq -- show <id>');
      return servicesOf(args).map((service) => ({
        service,
        method: 'GET',
        path: `/v1/dead-letters/${encodeURIComponent(id)}`,
        optional: args.service === undefined,
      }));
    }
    case 'redrive': {
      if (args.service === undefined) throw new Error('redrive: name the service (--service)');
      const [service] = servicesOf(args);
      const limit = positiveInt('limit', args.limit);
      const body = {
        ...filterOf(args),
        ...(args.id?.length ? { ids: args.id } : {}),
        dryRun: Boolean(args['dry-run']),
        ...(limit ? { limit } : {}),
      };
      return [{ service, method: 'POST', path: '/v1/dead-letters/redrive', body }];
    }
    case 'audit':
      return servicesOf(args).map((service) => ({
        service,
        method: 'GET',
        path: '/v1/dead-letter-redrives',
      }));
    default:
      throw new Error(command ? `unknown command ${command}` : 'which command? list, show, redrive or audit');
  }
}

const line = (d) =>
  `  ${d.id}  ${d.deadLetteredAt}  ${d.state.padEnd(8)}  ${d.topic}  ${d.errorCode}  tenant ${d.tenantId ?? '-'}  message ${d.messageId ?? '-'}`;

export function formatDeadLetters(service, page) {
  const head = `${service}: ${page.total} dead letter(s)${page.total > page.items.length ? `, showing ${page.items.length}` : ''}`;
  return [head, ...page.items.map(line)].join('\n');
}

export function formatRedrive(service, result) {
  const verb = result.dryRun ? 'would redrive' : 'redrove';
  const audit = result.redriveId ? ` (audit record ${result.redriveId})` : '';
  return [`${service}: ${verb} ${result.count}${audit}`, ...result.items.map(line)].join('\n');
}

export function formatRedrives(service, page) {
  return [
    `${service}: ${page.total} redrive(s)`,
    ...page.items.map(
      (r) =>
        `  ${r.id}  ${r.redrivenAt}  by ${r.clientId} (tenant ${r.clientTenantId})  ${r.count} message(s)  filter ${JSON.stringify(r.filter)}`,
    ),
  ].join('\n');
}
