import { z } from 'zod';
import { EnvelopeSchema, HEADERS } from './envelope';
import { CREATE_ORDER_EXAMPLE } from './http';
import { KAFKA_SERVICE_TOPICS, type KafkaService } from './kafka-acls';
import { InvoiceRequested, MESSAGE_CONTRACTS, type MessageContract } from './messages';
import {
  consumerGroup,
  deadLetterTopic,
  retryConsumerGroup,
  retryTopic,
  TOPICS,
  type BaseTopic,
} from './topics';

/**
 * The Kafka contracts as documents for producers and consumers in any language (architecture.md §3): an
 * AsyncAPI 3 document of every topic and message, and one JSON Schema (draft-07) per message for the whole
 * Kafka value — the envelope with the payload inside. Both come from the zod schemas the services
 * validate with, so they cannot disagree with them; `tools/asyncapi` writes them to docs/ and a test fails
 * when the committed files are stale. Order serves the AsyncAPI document at /docs/asyncapi.json.
 */

export type JsonSchema = Record<string, unknown>;

/** What each message is for, in the document; a test checks that every contract has one. */
export const MESSAGE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  OrderPlaced: 'An order was accepted (over HTTP or from an InvoiceRequested); invoice drafts its invoice.',
  OrderCancelled:
    'The order was cancelled. If its invoice was (or gets) issued, invoice reverses what remains of it with a ' +
    'red-letter invoice for `reasonCode` (absent in events from earlier builds: 02 returned).',
  InvoiceRequested:
    'An internal system asks for an invoice: the same intake as `POST /v1/orders`, for the tenant in the ' +
    "envelope (which must be one auth knows; the seller is that tenant's), deduplicated by `requestId`: " +
    'sending the same request id again creates nothing new.',
  InvoiceDrafted: 'invoice drafted and validated the invoice of an order; the issuance saga goes on.',
  InvoiceIssued: 'The authority issued the invoice: its 20-digit number and totals.',
  InvoiceRejected:
    'The invoice was refused, by validation or by the authority, with the first 50 problems at most.',
  InvoiceReversed:
    'A red-letter invoice the authority issued (negative totals), fully or partially reversing.',
  InvoiceReversalRefused: 'A reversal was refused; the invoice stays as it was.',
  IssueInvoice:
    'invoice asks tax-bridge to issue an invoice under a submission serial derived once from the invoice id ' +
    'and never regenerated (the authority deduplicates on it).',
  ReverseInvoice:
    'invoice asks tax-bridge to reverse (part of) an issued invoice: a confirmation form under `formSerial`, ' +
    'then the red-letter invoice under `redSerial`.',
  InvoiceIssuedByAuthority: "The authority issued the invoice: its number, time and signed file's reference.",
  InvoiceRejectedByAuthority: 'The authority definitely refused the invoice.',
  RedLetterFormRaised:
    'The authority raised the red-letter confirmation form (红字确认单); it awaits the buyer.',
  InvoiceReversedByAuthority: 'The authority issued the red-letter invoice (negative totals).',
  ReversalRefusedByAuthority:
    'The authority refused the form or the red-letter invoice, or the buyer declined, or the form expired.',
  DiscrepancyDetected: 'reconciliation found orders, invoices and the authority disagreeing.',
};

/** Who writes each base topic: the service whose outbox owns it, or (invoice requests) your systems. */
const TOPIC_DESCRIPTIONS: Readonly<Record<BaseTopic, string>> = {
  [TOPICS.orders]: 'Order events, produced by order.',
  [TOPICS.invoiceRequests]:
    'Invoice requests from internal systems (ERP, billing…), in any language: the one topic fapiao does not ' +
    'produce itself. Order ingests each request like a `POST /v1/orders`.',
  [TOPICS.invoices]: 'Invoice events, produced by invoice (the issuance and red-letter sagas).',
  [TOPICS.taxCommands]: 'Commands from invoice to tax-bridge, the only service that talks to the authority.',
  [TOPICS.taxEvents]: "tax-bridge's report of what the authority did.",
  [TOPICS.recon]: "reconciliation's findings.",
};

/** The document's identifiers: a message is `<Type>.v<version>`, as are its schema files. */
export const messageId = (contract: Pick<MessageContract, 'type' | 'version'>): string =>
  `${contract.type}.v${contract.version}`;

/** The whole Kafka value of a contract's messages: the envelope, its `type` and `version` fixed. */
export function envelopeSchemaFor(contract: MessageContract): z.ZodType {
  return EnvelopeSchema.extend({
    type: z.literal(contract.type),
    version: z.literal(contract.version),
    payload: contract.payload,
  });
}

/**
 * JSON Schema draft-07 (what AsyncAPI's schema format extends, and what every JSON Schema validator for
 * Java, Go, Python… reads) of what the consumers accept (`input`), inlined: one file stands alone.
 */
function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    target: 'draft-07',
    io: 'input',
    reused: 'inline',
    unrepresentable: 'any',
  }) as JsonSchema;
  return json;
}

const ENVELOPE_FIELDS: Readonly<Record<string, string>> = {
  id: 'The message id (UUIDv7 preferred, any UUID accepted): each consumer group processes an id once.',
  occurredAt: 'When it happened, ISO 8601 with an offset (`2026-11-29T11:05:57Z`).',
  tenantId: 'The tenant, as auth knows it; every consumer checks that it owns what the message touches.',
  key: 'The aggregate id (for InvoiceRequested: the request id), also the Kafka message key.',
  causationId: 'The id of the message that caused this one, or null.',
  correlationId: 'Shared by every message of one flow (the first message uses its own id or the request id).',
  payload: 'The message itself.',
};

/** The standalone JSON Schema file of one message (docs/schemas/<Type>.v<version>.json). */
export function messageJsonSchema(contract: MessageContract): JsonSchema {
  const json = toJsonSchema(envelopeSchemaFor(contract));
  const properties = json['properties'] as Record<string, JsonSchema>;
  for (const [field, description] of Object.entries(ENVELOPE_FIELDS))
    properties[field] = { description, ...properties[field] };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${contract.type} v${contract.version}`,
    description:
      `${MESSAGE_DESCRIPTIONS[contract.type] ?? ''} The Kafka value (UTF-8 JSON) on ${contract.topic}: the ` +
      `envelope, with the payload inside. Headers (${HEADERS.type}, ${HEADERS.version}, traceparent) and the ` +
      'key are in docs/asyncapi.json.',
    ...json,
  };
}

/** The standalone schema files by file name: `InvoiceRequested.v1.json` → its JSON Schema. */
export function messageJsonSchemaFiles(
  contracts: readonly MessageContract[] = MESSAGE_CONTRACTS,
): Record<string, JsonSchema> {
  return Object.fromEntries(
    contracts.map((contract) => [`${messageId(contract)}.json`, messageJsonSchema(contract)]),
  );
}

const TRACE_HEADERS: Readonly<Record<string, JsonSchema>> = {
  traceparent: {
    type: 'string',
    pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
    description: 'W3C trace context: the consumer span becomes a child of the producer span (optional).',
  },
  tracestate: { type: 'string', description: 'W3C trace context (optional).' },
  baggage: { type: 'string', description: 'W3C baggage (optional).' },
};

/** Added when a consumer hands a message to `<topic>.retry` (the value and the other headers unchanged). */
const RETRY_HEADERS: Readonly<Record<string, JsonSchema>> = {
  [HEADERS.attempt]: {
    type: 'string',
    pattern: '^[0-9]+$',
    description: 'Only on `.retry`: the attempt that failed, counting from 1.',
  },
  [HEADERS.notBefore]: {
    type: 'string',
    pattern: '^[0-9]+$',
    description: 'Only on `.retry`: epoch milliseconds before which the retry consumer does not handle it.',
  },
  [HEADERS.redriveGroup]: {
    type: 'string',
    description:
      'Only on `.retry`, on a dead letter an operator redrove: the consumer group it is meant for (the ' +
      "topic's other groups skip it). The value and its envelope id are the dead letter's.",
  },
  [HEADERS.redriveId]: {
    type: 'string',
    description: 'Only on a redriven dead letter: the redrive (its audit record) that sent it.',
  },
};

/** Added when a consumer dead-letters a message to `<topic>.dlq` (also on `.retry`: the last error). */
const ERROR_HEADERS: Readonly<Record<string, JsonSchema>> = {
  [HEADERS.errorCode]: {
    type: 'string',
    description:
      'Why it failed: MESSAGE.NOT_JSON, MESSAGE.INVALID_ENVELOPE, MESSAGE.UNSUPPORTED_VERSION, ' +
      "MESSAGE.INVALID_PAYLOAD, or the handler's domain error code (e.g. TENANT.UNKNOWN).",
  },
  [HEADERS.error]: { type: 'string', maxLength: 1000, description: 'The reason, for humans.' },
};

const DEAD_LETTER_HEADERS: Readonly<Record<string, JsonSchema>> = {
  ...ERROR_HEADERS,
  [HEADERS.originalTopic]: { type: 'string', description: 'The topic it was read from (base or `.retry`).' },
  [HEADERS.originalPartition]: { type: 'string', pattern: '^[0-9]+$' },
  [HEADERS.originalOffset]: { type: 'string', pattern: '^[0-9]+$' },
};

/** Types that other systems produce: fapiao's headers are recommended there, not required. */
const PRODUCED_OUTSIDE: ReadonlySet<string> = new Set([InvoiceRequested.type]);

function messageHeaders(contract: MessageContract): JsonSchema {
  const required = !PRODUCED_OUTSIDE.has(contract.type);
  const setBy = required
    ? 'Always set by fapiao'
    : 'Recommended: without it the message is parsed to find its type';
  return {
    type: 'object',
    properties: {
      [HEADERS.type]: {
        type: 'string',
        const: contract.type,
        description: `The envelope's \`type\`, so that consumers skip types they do not handle unparsed. ${setBy}.`,
      },
      [HEADERS.version]: {
        type: 'string',
        const: String(contract.version),
        description: `The envelope's \`version\`, as a string. ${setBy}.`,
      },
      ...TRACE_HEADERS,
      ...RETRY_HEADERS,
      ...ERROR_HEADERS,
    },
    ...(required ? { required: [HEADERS.type, HEADERS.version] } : {}),
  };
}

const KAFKA_BINDING = { bindingVersion: '0.5.0' } as const;

function messageObject(contract: MessageContract): JsonSchema {
  const example = MESSAGE_EXAMPLES[contract.type];
  return {
    name: contract.type,
    title: `${contract.type} v${contract.version}`,
    summary: MESSAGE_DESCRIPTIONS[contract.type],
    contentType: 'application/json',
    headers: messageHeaders(contract),
    payload: messageJsonSchema(contract),
    correlationId: {
      description: 'Shared by every message of one flow.',
      location: '$message.payload#/correlationId',
    },
    bindings: {
      kafka: {
        key: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
          description: "The envelope's `key` (the aggregate id): one aggregate's messages stay in order.",
        },
        ...KAFKA_BINDING,
      },
    },
    ...(example ? { examples: [example] } : {}),
  };
}

/** A complete example request, for the document (a test parses it with the contract). */
export const INVOICE_REQUESTED_EXAMPLE = {
  id: '019ad2b4-8a1e-7c3f-9d2a-5b6c7d8e9f01',
  type: 'InvoiceRequested',
  version: 1,
  occurredAt: '2026-11-29T11:05:57Z',
  tenantId: '0f6d1f0e-3c1a-4c5e-9b7a-2d8e4f6a1b3c',
  key: 'ERP-REQ-000123',
  causationId: null,
  correlationId: 'ERP-REQ-000123',
  payload: { requestId: 'ERP-REQ-000123', ...CREATE_ORDER_EXAMPLE },
} as const;

const MESSAGE_EXAMPLES: Readonly<Record<string, JsonSchema>> = {
  [InvoiceRequested.type]: {
    name: 'request',
    summary: 'One line of software development service for a buyer with a tax id',
    headers: { [HEADERS.type]: 'InvoiceRequested', [HEADERS.version]: '1' },
    payload: INVOICE_REQUESTED_EXAMPLE,
  },
};

const DEAD_LETTER_MESSAGE: JsonSchema = {
  name: 'DeadLetter',
  title: 'A dead letter',
  summary:
    'A message a consumer could not use: the original key, value (byte for byte, possibly not JSON) and ' +
    'headers, plus why. Operators inspect and redrive it; a redrive keeps the message id.',
  headers: {
    type: 'object',
    properties: { ...DEAD_LETTER_HEADERS, ...TRACE_HEADERS },
    required: Object.keys(DEAD_LETTER_HEADERS),
  },
  payload: { description: 'The original value, unchanged.' },
  bindings: { kafka: { key: { type: 'string', description: 'The original key.' }, ...KAFKA_BINDING } },
};

const ref = (pointer: string) => ({ $ref: pointer });
/** `#/channels/fapiao.orders.v1`: a JSON pointer segment needs `~` and `/` escaped. */
const pointer = (...segments: string[]) =>
  `#/${segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

const camel = (words: string) =>
  words
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word, i) => (i === 0 ? word : word[0].toUpperCase() + word.slice(1)))
    .join('');

export interface AsyncApiOptions {
  /** `info.version`; the document changes whenever a contract does. */
  version?: string;
}

/** The AsyncAPI 3.0 document of every topic (with its `.retry` and `.dlq`) and every message. */
export function asyncApiDocument(
  { version = '1.0.0' }: AsyncApiOptions = {},
  contracts: readonly MessageContract[] = MESSAGE_CONTRACTS,
): JsonSchema {
  const baseTopics = Object.values(TOPICS) as BaseTopic[];
  const onTopic = (topic: BaseTopic) => contracts.filter((contract) => contract.topic === topic);
  const services = Object.entries(KAFKA_SERVICE_TOPICS) as [
    KafkaService,
    { produces: readonly BaseTopic[]; consumes: readonly BaseTopic[] },
  ][];
  const producers = (topic: BaseTopic) =>
    services.filter(([, { produces }]) => produces.includes(topic)).map(([service]) => service);
  const consumers = (topic: BaseTopic) =>
    services.filter(([, { consumes }]) => consumes.includes(topic)).map(([service]) => service);

  const messages = Object.fromEntries(contracts.map((c) => [messageId(c), messageObject(c)]));
  const channelMessages = (topic: BaseTopic) =>
    Object.fromEntries(
      onTopic(topic).map((c) => [messageId(c), ref(pointer('components', 'messages', messageId(c)))]),
    );

  const channels: Record<string, JsonSchema> = {};
  for (const topic of baseTopics) {
    const readers = consumers(topic);
    const readBy =
      readers.length > 0 ? `Consumed by ${readers.join(', ')}.` : 'Consumed by no fapiao service.';
    channels[topic] = {
      address: topic,
      title: topic,
      description: `${TOPIC_DESCRIPTIONS[topic]} ${readBy} Key = the aggregate id, so one aggregate's messages stay ordered.`,
      messages: channelMessages(topic),
      bindings: { kafka: { topic, ...KAFKA_BINDING } },
    };
    channels[retryTopic(topic)] = {
      address: retryTopic(topic),
      title: retryTopic(topic),
      description:
        `Retries of ${topic}: a consumer whose handler failed with a transient error hands the message here ` +
        `with the same key, value and headers plus ${HEADERS.attempt}, ${HEADERS.notBefore}, ` +
        `${HEADERS.errorCode} and ${HEADERS.error}; the consumer group \`<group>.retry\` handles it after ` +
        `${HEADERS.notBefore}. Written only by fapiao's consumers.`,
      messages: channelMessages(topic),
      bindings: { kafka: { topic: retryTopic(topic), ...KAFKA_BINDING } },
    };
    channels[deadLetterTopic(topic)] = {
      address: deadLetterTopic(topic),
      title: deadLetterTopic(topic),
      description:
        `Dead letters of ${topic}: what its consumers could not use (not JSON, an invalid envelope or ` +
        'payload, an unknown version, a poison message after its retries), kept for operators; never read ' +
        "automatically. Written only by fapiao's consumers.",
      messages: { DeadLetter: ref(pointer('components', 'messages', 'DeadLetter')) },
      bindings: { kafka: { topic: deadLetterTopic(topic), ...KAFKA_BINDING } },
    };
  }

  const operations: Record<string, JsonSchema> = {};
  const channelRef = (address: string) => ref(pointer('channels', address));
  const messageRefs = (address: string, ids: string[]) =>
    ids.map((id) => ref(pointer('channels', address, 'messages', id)));
  for (const topic of baseTopics) {
    const ids = onTopic(topic).map(messageId);
    for (const service of producers(topic)) {
      operations[camel(`${service} sends ${topic}`)] = {
        action: 'send',
        title: `${service} publishes to ${topic}`,
        summary: `Through its transactional outbox, in order per key.`,
        channel: channelRef(topic),
        messages: messageRefs(topic, ids),
      };
    }
    for (const service of consumers(topic)) {
      const group = consumerGroup(service, topic);
      const groupBinding = (id: string) => ({
        kafka: { groupId: { type: 'string', enum: [id] }, ...KAFKA_BINDING },
      });
      operations[camel(`${service} receives ${topic}`)] = {
        action: 'receive',
        title: `${service} consumes ${topic}`,
        summary:
          'Types it does not handle are skipped by their header; invalid messages go to `.dlq` with the ' +
          'reason; each message id is processed once per consumer group (inbox).',
        channel: channelRef(topic),
        messages: messageRefs(topic, ids),
        bindings: groupBinding(group),
      };
      operations[camel(`${service} retries ${topic}`)] = {
        action: 'send',
        title: `${service} hands a failed message to ${retryTopic(topic)}`,
        channel: channelRef(retryTopic(topic)),
        messages: messageRefs(retryTopic(topic), ids),
      };
      operations[camel(`${service} receives ${retryTopic(topic)}`)] = {
        action: 'receive',
        title: `${service} consumes ${retryTopic(topic)}`,
        channel: channelRef(retryTopic(topic)),
        messages: messageRefs(retryTopic(topic), ids),
        bindings: groupBinding(retryConsumerGroup(group)),
      };
      operations[camel(`${service} dead-letters ${topic}`)] = {
        action: 'send',
        title: `${service} dead-letters to ${deadLetterTopic(topic)}`,
        channel: channelRef(deadLetterTopic(topic)),
        messages: messageRefs(deadLetterTopic(topic), ['DeadLetter']),
      };
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'fapiao Kafka contracts',
      version,
      description: [
        'Every Kafka topic and message of fapiao, generated from the zod schemas in `libs/contracts` that ' +
          'the services validate with. The document describes fapiao as one application: `send` operations ' +
          'are what its services publish, `receive` operations what they consume.',
        '',
        '- **Value**: UTF-8 JSON, the envelope (`id`, `type`, `version`, `occurredAt`, `tenantId`, `key`, ' +
          '`causationId`, `correlationId`) with the message in `payload`. Every payload is validated on both ' +
          'ends; a message that fails goes to `<topic>.dlq` with the reason, never dropped.',
        `- **Key**: the envelope's \`key\`, the aggregate id, so one aggregate's messages stay ordered.`,
        `- **Headers**: \`${HEADERS.type}\` and \`${HEADERS.version}\` (the envelope's type and version), and ` +
          'W3C `traceparent`/`tracestate`/`baggage`.',
        '- **Companions**: every topic has `<topic>.retry` (transient failures, retried by the same ' +
          'consumers after a delay) and `<topic>.dlq` (dead letters for operators).',
        '- **Producing from other languages**: only `fapiao.invoice-requests.v1` is yours to write; ' +
          'validate each value against `docs/schemas/InvoiceRequested.v1.json` before sending (README: ' +
          '"Producing to fapiao from other languages").',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: '{bootstrap}',
        protocol: 'kafka',
        description:
          'Your cluster (KAFKA_BROKERS). SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER) and TLS are ' +
          'configuration; every service writes only the topics it owns (docs/deploy-kubernetes.md).',
        variables: { bootstrap: { default: '127.0.0.1:9092', description: 'One bootstrap server' } },
      },
    },
    channels,
    operations,
    components: { messages: { ...messages, DeadLetter: DEAD_LETTER_MESSAGE } },
  };
}
