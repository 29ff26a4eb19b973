import type { DomainError } from '@fapiao/contracts';

/**
 * A message acts only on what its envelope's tenant owns: a record (saga, invoice, reversal) of another
 * tenant is refused with `refusal` — a poison message, dead-lettered with nothing changed. A record that
 * does not exist is the caller's business (tenant-scoped reads find nothing).
 */
export function assertOwnedBy(
  record: { tenantId: string } | null | undefined,
  tenantId: string,
  refusal: (tenantId: string) => DomainError,
): void {
  if (record && record.tenantId !== tenantId) throw refusal(tenantId);
}
