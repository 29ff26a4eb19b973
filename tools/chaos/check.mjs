// The invariants of a chaos run, checked over what the services and the authority say once the system is
// quiet. Pure: `collect.mjs` fetches the facts, this decides; each violation names the order that broke it.
import { PARTIAL_GROSS } from './plan.mjs';

export const TERMINAL_ORDER = ['INVOICED', 'INVOICE_REJECTED', 'PARTIALLY_REVERSED', 'REVERSED', 'CANCELLED'];
/** Invoice statuses of an invoice the authority issued (invoice-status.ts ISSUED_ONCE). */
const ISSUED = ['ISSUED', 'PARTIALLY_REVERSED', 'REVERSED'];

export const INVARIANTS = {
  'accepted-terminal': 'every accepted order exists and reached a terminal state',
  'intake-once': 'one order per external id: HTTP replays and retries, Kafka duplicates create nothing',
  outcome: "each order ended as its client's requests say (invoiced, partly reversed, cancelled)",
  'blue-once': 'exactly one issued blue invoice per invoiced order, in fapiao and at the authority',
  'red-once': 'exactly one red invoice per completed reversal, in fapiao and at the authority',
  totals: 'the same numbers and totals on both sides; what remains invoiced = blue + reds',
  'authority-count': "the authority's count grew by exactly what fapiao issued",
  'sagas-settled': 'no saga left RUNNING, COMPENSATING or NEEDS_ATTENTION',
  reconciled: "no open discrepancy and no mismatch for the run's orders",
  'dead-letters': 'every dead-lettered message is one the run planted, with its reason',
  'client-answers': 'every client request was answered as the API promises',
  'services-healthy': 'every service ready at the end; none exited unless told to, none crash-looping',
};

/** Cents of a 2-decimal amount string, exactly. */
export function cents(amount) {
  if (amount === null || amount === undefined) return null;
  const text = String(amount);
  const sign = text.startsWith('-') ? -1 : 1;
  const [whole, fraction = ''] = text.replace(/^[-+]/, '').split('.');
  return sign * (Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2)));
}
const money = (c) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

/** What the client asked for, as the order's final status and the gross that remains invoiced. */
export function expectedEnd(client) {
  const gross = cents(client.unitPrice);
  switch (client.followUp) {
    case 'partial':
      return { status: 'PARTIALLY_REVERSED', remaining: gross - cents(PARTIAL_GROSS) };
    case 'early-cancel':
    case 'cancel':
    case 'partial-then-cancel':
      return { status: 'CANCELLED', remaining: 0 };
    default:
      return { status: 'INVOICED', remaining: gross };
  }
}

/**
 * @param facts {clients, orders, invoices, authority, authorityBefore, sagas, discrepancies, recon,
 *   deadLetters, poison, services}
 * @returns one entry per invariant: { name, description, violations: [{ order, detail }] }
 */
export function checkInvariants(facts) {
  const found = Object.fromEntries(Object.keys(INVARIANTS).map((name) => [name, []]));
  const fail = (name, order, detail) => found[name].push({ order, detail });

  const ordersByExternal = groupBy(facts.orders, (o) => o.externalId);
  const orderById = new Map(facts.orders.map((o) => [o.id, o]));
  const externalOf = (orderId) => orderById.get(orderId)?.externalId ?? orderId;
  const invoicesByOrder = groupBy(facts.invoices, (i) => i.orderId);
  const authorityByNumber = groupBy(facts.authority, (a) => a.number);
  const authorityRedsByBlue = groupBy(
    facts.authority.filter((a) => a.kind === 'red'),
    (a) => a.originalNumber,
  );

  for (const client of facts.clients) {
    for (const { invariant, detail } of client.violations) fail(invariant, client.externalId, detail);
    const orders = ordersByExternal.get(client.externalId) ?? [];
    if (orders.length > 1) {
      fail(
        'intake-once',
        client.externalId,
        `${orders.length} orders: ${orders.map((o) => o.id).join(', ')}`,
      );
    }
    if (!client.accepted) continue;
    const [order] = orders;
    if (!order) {
      fail('accepted-terminal', client.externalId, `accepted (${client.channel}) but no order exists: lost`);
      continue;
    }
    if (client.id && client.id !== order.id) {
      fail(
        'intake-once',
        client.externalId,
        `the client was answered ${client.id}, the order is ${order.id}`,
      );
    }
    if (!TERMINAL_ORDER.includes(order.status)) {
      fail('accepted-terminal', client.externalId, `still ${order.status}`);
      continue;
    }
    const expected = expectedEnd(client);
    const remaining = cents(order.invoicedGross) ?? 0;
    if (order.status !== expected.status || remaining !== expected.remaining) {
      fail(
        'outcome',
        client.externalId,
        `${order.status} with ${money(remaining)} invoiced; expected ${expected.status} with ${money(expected.remaining)}` +
          (order.rejection ? ` (rejection: ${JSON.stringify(order.rejection)})` : '') +
          (order.reversalError ? ` (reversal error: ${order.reversalError.code})` : ''),
      );
    }
  }

  let fapiaoIssued = 0;
  const fapiaoNumbers = new Set();
  for (const order of facts.orders) {
    const external = order.externalId;
    const invoices = invoicesByOrder.get(order.id) ?? [];
    const issued = invoices.filter((i) => ISSUED.includes(i.status));
    const mustHaveBlue = ['INVOICED', 'PARTIALLY_REVERSED', 'REVERSED'].includes(order.status);
    if (issued.length > 1) fail('blue-once', external, `${issued.length} issued blue invoices in fapiao`);
    if (mustHaveBlue && issued.length === 0)
      fail('blue-once', external, `${order.status} without an issued invoice`);
    if (!mustHaveBlue && order.status !== 'CANCELLED' && issued.length > 0) {
      fail('blue-once', external, `${order.status} but invoice ${issued[0].number} was issued`);
    }
    let fapiaoGross = 0;
    for (const blue of issued) {
      fapiaoIssued++;
      fapiaoNumbers.add(blue.number);
      const atAuthority = (authorityByNumber.get(blue.number) ?? []).filter((a) => a.kind === 'blue');
      if (atAuthority.length !== 1) {
        fail('blue-once', external, `blue ${blue.number}: ${atAuthority.length} at the authority`);
      } else if (cents(atAuthority[0].totals.gross) !== cents(blue.totals.gross)) {
        fail(
          'totals',
          external,
          `blue ${blue.number}: ${blue.totals.gross} in fapiao, ${atAuthority[0].totals.gross} at the authority`,
        );
      }
      fapiaoGross += cents(blue.totals.gross);
      let authorityGross = cents(atAuthority[0]?.totals.gross ?? '0');
      const reversed = blue.reversals.filter((r) => r.status === 'REVERSED');
      const reds = authorityRedsByBlue.get(blue.number) ?? [];
      for (const reversal of reversed) {
        fapiaoIssued++;
        fapiaoNumbers.add(reversal.red.number);
        const red = reds.filter((a) => a.number === reversal.red.number);
        if (red.length !== 1) {
          fail(
            'red-once',
            external,
            `red ${reversal.red.number} of reversal ${reversal.id}: ${red.length} at the authority for blue ${blue.number}`,
          );
        } else if (cents(red[0].totals.gross) !== cents(reversal.red.totals?.gross)) {
          fail(
            'totals',
            external,
            `red ${reversal.red.number}: ${reversal.red.totals?.gross} in fapiao, ${red[0].totals.gross} at the authority`,
          );
        }
        fapiaoGross += cents(reversal.red.totals?.gross) ?? 0;
      }
      for (const red of reds) {
        authorityGross += cents(red.totals.gross);
        if (!reversed.some((r) => r.red.number === red.number)) {
          fail(
            'red-once',
            external,
            `red ${red.number} at the authority is no completed reversal of blue ${blue.number} in fapiao`,
          );
        }
      }
      if (fapiaoGross !== authorityGross) {
        fail(
          'totals',
          external,
          `blue + reds: ${money(fapiaoGross)} in fapiao, ${money(authorityGross)} at the authority`,
        );
      }
    }
    if (issued.length === 1 && cents(order.invoicedGross) !== fapiaoGross) {
      fail(
        'totals',
        external,
        `the order says ${order.invoicedGross} remains invoiced, blue + reds are ${money(fapiaoGross)}`,
      );
    }
    if (order.status === 'CANCELLED' && issued.length === 1 && fapiaoGross !== 0) {
      fail('outcome', external, `CANCELLED but ${money(fapiaoGross)} remains invoiced`);
    }
  }

  for (const invoice of facts.authority) {
    if (fapiaoNumbers.has(invoice.number)) continue;
    const suspects = suspectOrders(invoice).map(externalOf);
    fail(
      'authority-count',
      suspects.join(', ') || invoice.number,
      `${invoice.kind} invoice ${invoice.number} (${invoice.totals.gross}) at the authority is unknown to fapiao` +
        (suspects.length ? `: a second issue for ${suspects.join(', ')}` : ''),
    );
  }
  /**
   * The orders an invoice unknown to fapiao most likely belongs to: a red one's blue invoice; a blue one
   * with the serial of one of ours, or else the same gross (each order of a run has its own price).
   */
  function suspectOrders(invoice) {
    if (invoice.kind === 'red') {
      return facts.invoices.filter((i) => i.number === invoice.originalNumber).map((i) => i.orderId);
    }
    const bySerial = invoice.serial ? facts.invoices.filter((i) => i.serial === invoice.serial) : [];
    const same = bySerial.length
      ? bySerial
      : facts.invoices.filter((i) => i.totals && cents(i.totals.gross) === cents(invoice.totals.gross));
    return same.map((i) => i.orderId);
  }

  const grew = facts.authority.length;
  if (grew !== fapiaoIssued) {
    fail('authority-count', null, `the authority issued ${grew} for the run, fapiao ${fapiaoIssued}`);
  }

  for (const saga of facts.sagas) {
    fail(
      'sagas-settled',
      externalOf(saga.data?.orderId),
      `${saga.type} saga ${saga.id} is ${saga.state} at step ${saga.step}`,
    );
  }
  for (const discrepancy of facts.discrepancies) {
    fail(
      'reconciled',
      externalOf(discrepancy.orderId),
      `open discrepancy ${discrepancy.type}: ${discrepancy.detail ?? ''}`.trim(),
    );
  }
  for (const [orderId, recon] of Object.entries(facts.recon)) {
    if (recon?.status === 'MISMATCH') {
      fail(
        'reconciled',
        externalOf(orderId),
        `MISMATCH: ${recon.netGross} in fapiao, ${recon.authorityNetGross} at the authority`,
      );
    }
  }

  for (const message of facts.deadLetters) {
    if (!facts.poison.includes(message.key)) {
      fail('dead-letters', message.key, `${message.topic}: ${message.code} ${message.error ?? ''}`.trim());
    }
  }
  for (const key of facts.poison) {
    if (!facts.deadLetters.some((message) => message.key === key)) {
      fail('dead-letters', key, 'the planted poison message is in no .dlq topic');
    }
  }

  for (const [service, report] of Object.entries(facts.services)) {
    if (!report.ready) fail('services-healthy', service, 'not ready at the end');
    if (report.crashLooping)
      fail('services-healthy', service, `crash-looping (${report.unexpectedExits.length} unexpected exits)`);
    // A dependency outage must never end a process: each exit of its own is a bug, with its last words.
    for (const exit of report.unexpectedExits) {
      const words =
        exit.lastLines
          ?.filter((line) => line.trim())
          .slice(-3)
          .join(' | ') ?? '';
      fail(
        'services-healthy',
        service,
        `exited by itself at ${exit.at} (${exit.signal ?? `code ${exit.code}`}): ${words}`,
      );
    }
  }

  return Object.entries(INVARIANTS).map(([name, description]) => ({
    name,
    description,
    violations: found[name],
  }));
}

function groupBy(items, key) {
  const groups = new Map();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(item);
  }
  return groups;
}
