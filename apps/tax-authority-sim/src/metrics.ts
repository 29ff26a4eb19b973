import { Counter } from 'prom-client';
import type { AuthorityFaultKind } from '@fapiao/contracts';

/** Where a fault came from: the fault API, the maintenance calendar, or the configured rate limit. */
export type FaultSource = 'injected' | 'calendar' | 'configured';

export const faultsTotal = new Counter<'kind' | 'source'>({
  name: 'sim_faults_total',
  help: 'Authority requests answered with a fault (or delayed), by kind and source',
  labelNames: ['kind', 'source'],
});

export const countFault = (kind: AuthorityFaultKind, source: FaultSource): void =>
  faultsTotal.inc({ kind, source });

export const invoicesIssuedTotal = new Counter<'kind'>({
  name: 'sim_invoices_issued_total',
  help: 'Invoices the simulated authority issued, by kind (blue, red)',
  labelNames: ['kind'],
});

export const duplicateSubmissionsTotal = new Counter<'resource'>({
  name: 'sim_duplicate_submissions_total',
  help: 'Submissions answered with the existing record because their serial was seen before',
  labelNames: ['resource'],
});
