// The Kafka contract documents (libs/contracts/src/asyncapi.ts): the committed docs/asyncapi.json and
// docs/schemas/*.json are what the contracts generate today (else: `npm run asyncapi`), the AsyncAPI
// document is valid for @asyncapi/parser, and it describes every topic, companion, message and header.
import { Parser, type Diagnostic } from '@asyncapi/parser';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ALL_TOPICS,
  asyncApiDocument,
  deadLetterTopic,
  envelopeSchemaFor,
  HEADERS,
  INVOICE_REQUESTED_EXAMPLE,
  InvoiceRequested,
  MESSAGE_CONTRACTS,
  MESSAGE_DESCRIPTIONS,
  messageId,
  messageJsonSchemaFiles,
  retryTopic,
  TOPICS,
} from '@fapiao/contracts';

/** Typed access to ./files.mjs, which `npm run asyncapi` (main.mjs) writes the files with. */
const FILES = pathToFileURL(join(__dirname, 'files.mjs')).href;
interface FilesModule {
  renderFiles(contracts: unknown): Promise<Map<string, string>>;
  staleFiles(files: Map<string, string>): Promise<string[]>;
}

const ERROR = 0; // DiagnosticSeverity.Error
const errorsOf = (diagnostics: Diagnostic[]) =>
  diagnostics
    .filter((d) => d.severity === ERROR)
    .map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);

/** Valid for @asyncapi/parser (AsyncAPI 3 schema, references, operation/channel rules): its errors. */
export async function asyncApiErrors(document: unknown): Promise<string[]> {
  return errorsOf(await new Parser().validate(JSON.stringify(document)));
}

describe('AsyncAPI document and JSON Schemas of the Kafka contracts', () => {
  const document = asyncApiDocument() as {
    asyncapi: string;
    channels: Record<string, { address: string; messages: Record<string, unknown> }>;
    operations: Record<string, { action: string; channel: { $ref: string }; bindings?: unknown }>;
    components: { messages: Record<string, { headers: { properties: Record<string, unknown> } }> };
  };

  it('matches the committed docs/asyncapi.json and docs/schemas/ (run `npm run asyncapi` when this fails)', async () => {
    const files = (await import(FILES)) as FilesModule;
    const rendered = await files.renderFiles({ asyncApiDocument, messageJsonSchemaFiles });
    expect(rendered.size).toBe(1 + MESSAGE_CONTRACTS.length);
    expect(await files.staleFiles(rendered)).toEqual([]);
  });

  it('is a valid AsyncAPI 3.0 document for @asyncapi/parser', async () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(await asyncApiErrors(document)).toEqual([]);
    const { document: parsed } = await new Parser().parse(JSON.stringify(document));
    expect(parsed?.channels().length).toBe(ALL_TOPICS.length);
    expect(
      parsed
        ?.messages()
        .all()
        .map((message) => message.id()),
    ).toEqual(expect.arrayContaining(MESSAGE_CONTRACTS.map(messageId)));
  });

  it('the validation test goes red on a broken document', async () => {
    const broken = structuredClone(document);
    broken.operations['orderReceivesFapiaoInvoiceRequestsV1'].channel = { $ref: '#/channels/nowhere' };
    expect(await asyncApiErrors(broken)).not.toEqual([]);
    expect(await asyncApiErrors({ ...document, asyncapi: '3.0.0', info: undefined })).not.toEqual([]);
  });

  it('has a channel per topic and companion, each base channel carrying exactly its contracts', () => {
    expect(Object.values(document.channels).map((c) => c.address)).toEqual(
      expect.arrayContaining([...ALL_TOPICS]),
    );
    for (const topic of Object.values(TOPICS)) {
      const ids = MESSAGE_CONTRACTS.filter((c) => c.topic === topic).map(messageId);
      expect(Object.keys(document.channels[topic].messages)).toEqual(ids);
      expect(Object.keys(document.channels[retryTopic(topic)].messages)).toEqual(ids);
      expect(Object.keys(document.channels[deadLetterTopic(topic)].messages)).toEqual(['DeadLetter']);
    }
  });

  it('says who sends and who receives: internal systems are the only producers of invoice requests', () => {
    const on = (address: string, action: string) =>
      Object.entries(document.operations)
        .filter(([, op]) => op.action === action && op.channel.$ref === `#/channels/${address}`)
        .map(([id]) => id);
    expect(on(TOPICS.invoiceRequests, 'send')).toEqual([]);
    expect(on(TOPICS.invoiceRequests, 'receive')).toEqual(['orderReceivesFapiaoInvoiceRequestsV1']);
    expect(on(TOPICS.orders, 'send')).toEqual(['orderSendsFapiaoOrdersV1']);
    expect(document.operations['orderReceivesFapiaoInvoiceRequestsV1'].bindings).toEqual({
      kafka: {
        groupId: { type: 'string', enum: ['fapiao-order.fapiao.invoice-requests.v1'] },
        bindingVersion: '0.5.0',
      },
    });
  });

  it('documents every message with a description and the fapiao headers', () => {
    for (const contract of MESSAGE_CONTRACTS) {
      expect(MESSAGE_DESCRIPTIONS[contract.type]).toEqual(expect.any(String));
      const headers = document.components.messages[messageId(contract)].headers.properties;
      expect(Object.keys(headers)).toEqual(
        expect.arrayContaining([HEADERS.type, HEADERS.version, 'traceparent', HEADERS.attempt]),
      );
    }
  });

  it("gives a schema per message whose example the consumers' own zod contract accepts", () => {
    const files = messageJsonSchemaFiles();
    expect(Object.keys(files).sort()).toEqual(MESSAGE_CONTRACTS.map((c) => `${messageId(c)}.json`).sort());
    const schema = files['InvoiceRequested.v1.json'] as {
      $schema: string;
      required: string[];
      properties: { type: { const: string }; payload: { required: string[] } };
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.properties.type.const).toBe('InvoiceRequested');
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'tenantId', 'key', 'payload']));
    expect(schema.properties.payload.required).toEqual(expect.arrayContaining(['requestId', 'lines']));
    expect(envelopeSchemaFor(InvoiceRequested).safeParse(INVOICE_REQUESTED_EXAMPLE).success).toBe(true);
  });
});
