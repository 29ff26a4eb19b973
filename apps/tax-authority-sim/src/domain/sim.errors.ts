import { AuthorityErrorCodes as Codes, DomainError, type FieldError } from '@fapiao/contracts';

/** A definite rejection: 422, never worth repeating unchanged. */
const reject = (code: string, message: string, field?: string, errors?: FieldError[]) =>
  new DomainError('validation', code, message, field, errors);

export const SimErrors = {
  reject,
  invoiceNotFound: (key: string) =>
    new DomainError('not_found', Codes.notFound, `No invoice ${key} has been issued`),
  formNotFound: (key: string) =>
    new DomainError('not_found', Codes.notFound, `No red-letter confirmation form ${key}`),
  formPending: (blueNumber: string, formId: string) =>
    new DomainError(
      'conflict',
      Codes.redLetterFormPending,
      `Form ${formId} for ${blueNumber} is still open: answer, revoke or use it first`,
      'blueNumber',
    ),
  formExpired: (id: string, expiresAt?: string) =>
    new DomainError('conflict', Codes.redLetterExpired, `Form ${id} voided itself at ${expiresAt}`, 'state'),
  maintenance: (until: Date) =>
    new DomainError(
      'unavailable',
      Codes.maintenance,
      `The platform is under maintenance until ${until.toISOString()}`,
    ),
  rateLimited: (perSecond: number) =>
    new DomainError('rate_limited', Codes.rateLimited, `More than ${perSecond} requests per second`),
  adminTokenRequired: () =>
    new DomainError(
      'unauthenticated',
      Codes.adminTokenRequired,
      "The simulator's control API needs its admin token: Authorization: Bearer <SIM_ADMIN_TOKEN>",
      'authorization',
    ),
  clientCertificateExpired: () =>
    new DomainError(
      'forbidden',
      Codes.clientCertificateExpired,
      'The client certificate has expired; renew it with the authority',
    ),
};
