import { HEADERS } from '@fapiao/contracts';

/** What a dead letter's value says of itself, when it is a JSON object with the envelope's fields. */
export interface DeadLetterIdentity {
  messageId: string | null;
  messageType: string | null;
  tenantId: string | null;
}

const field = (object: Record<string, unknown>, name: string, max: number): string | null => {
  const value = object[name];
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
};

/**
 * The envelope id, type and tenant of a dead letter's value, as far as they can be read: a message can be
 * dead-lettered because it is no valid envelope, so every field is optional (and bounded like its column).
 */
export function identify(value: string | undefined): DeadLetterIdentity {
  let json: unknown;
  try {
    json = JSON.parse(value ?? '');
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { messageId: null, messageType: null, tenantId: null };
  const object = json as Record<string, unknown>;
  return {
    messageId: field(object, 'id', 36),
    messageType: field(object, 'type', 100),
    tenantId: field(object, 'tenantId', 36),
  };
}

/** Headers the consumer added while failing: the redriven copy starts afresh without them. */
const FAILURE_HEADERS: readonly string[] = [
  HEADERS.error,
  HEADERS.errorCode,
  HEADERS.originalTopic,
  HEADERS.originalPartition,
  HEADERS.originalOffset,
  HEADERS.attempt,
  HEADERS.notBefore,
  HEADERS.redriveGroup,
  HEADERS.redriveId,
];

/**
 * The headers of a dead letter's redriven copy: its own (type, version, trace context: the copy's spans join
 * the message's trace), a first attempt with the full retry budget, and the one consumer group it is meant
 * for (the retry topic is shared by every group that consumes the base topic).
 */
export function redriveHeaders(
  headers: Record<string, string>,
  consumerGroup: string,
  redriveId: string,
): Record<string, string> {
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !FAILURE_HEADERS.includes(name)),
  );
  return {
    ...kept,
    [HEADERS.attempt]: '1',
    [HEADERS.redriveGroup]: consumerGroup,
    [HEADERS.redriveId]: redriveId,
  };
}

/** Fields that hold personal or identifying data in the contracts (buyers may be natural persons). */
const PERSONAL_OBJECTS = /^buyer$/i;
const PERSONAL_FIELDS = /(taxid|phone|mobile|e-?mail|address|bank|account|idcard|idnumber)/i;
export const MASK = '***';

const maskAll = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(maskAll);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskAll(inner)]));
  return value === null || value === undefined ? value : MASK;
};

/**
 * A payload as an operator may see it: the buyer entirely, and tax ids, phone numbers, e-mail and postal
 * addresses, bank accounts anywhere, replaced by `***` (shape kept, so what is missing stays visible).
 */
export function maskPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonalData);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      PERSONAL_OBJECTS.test(key) || PERSONAL_FIELDS.test(key) ? maskAll(inner) : maskPersonalData(inner),
    ]),
  );
}
