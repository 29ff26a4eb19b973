import { contractFor, EnvelopeSchema, type Envelope, type MessageContract } from '@fapiao/contracts';

export type ParsedMessage =
  | { ok: true; envelope: Envelope; contract: MessageContract }
  | { ok: true; envelope: Envelope; contract: undefined }
  | { ok: false; code: string; reason: string };

const describe = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');

/**
 * Validates the envelope, and the payload against its contract when this service handles the type.
 * A type nobody here handles comes back with `contract: undefined` so the runner can skip it.
 */
export function parseMessage(raw: string | undefined, handledTypes: ReadonlySet<string>): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? '');
  } catch {
    return { ok: false, code: 'MESSAGE.NOT_JSON', reason: 'the message value is not JSON' };
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    return { ok: false, code: 'MESSAGE.INVALID_ENVELOPE', reason: describe(envelope.error.issues) };
  }
  if (!handledTypes.has(envelope.data.type))
    return { ok: true, envelope: envelope.data, contract: undefined };
  const contract = contractFor(envelope.data.type, envelope.data.version);
  if (!contract) {
    return {
      ok: false,
      code: 'MESSAGE.UNSUPPORTED_VERSION',
      reason: `${envelope.data.type} v${envelope.data.version} is not supported`,
    };
  }
  const payload = contract.payload.safeParse(envelope.data.payload);
  if (!payload.success) {
    return { ok: false, code: 'MESSAGE.INVALID_PAYLOAD', reason: describe(payload.error.issues) };
  }
  return { ok: true, envelope: { ...envelope.data, payload: payload.data }, contract };
}
