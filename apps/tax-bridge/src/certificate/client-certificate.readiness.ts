import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import type { ReadinessCheck } from '@fapiao/platform/health';
import { clientCertificateConfig, daysToExpiry, type ClientCertificate } from './client-certificate';

// Read on first use: by then runService has validated the config (an expired certificate stopped the boot).
let loaded: { certificate: ClientCertificate | null } | undefined;
const current = () => (loaded ??= { certificate: clientCertificateConfig.read() }).certificate;

// Labelled so that without a certificate there is no series at all: an unlabelled gauge would read 0,
// which an alert on "expires within N days" takes for an expired certificate.
export const clientCertificateExpiryDays = new Gauge({
  name: 'fapiao_tax_client_cert_expiry_days',
  help: 'Whole days until the client certificate for the tax authority expires (absent without one)',
  labelNames: ['subject'],
  collect() {
    const certificate = current();
    if (certificate) this.set({ subject: certificate.subject }, daysToExpiry(certificate));
  },
});

/**
 * Degraded (still ready, flagged) when the certificate expires within TAX_CERT_WARN_DAYS; down once it
 * has expired, since every submission would then be refused.
 */
@Injectable()
export class ClientCertificateReadiness implements ReadinessCheck {
  constructor(private readonly indicator: HealthIndicatorService) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('clientCertificate');
    const certificate = current();
    if (!certificate) return session.up({ configured: false });
    const days = daysToExpiry(certificate);
    const data = { subject: certificate.subject, validTo: certificate.validTo.toISOString(), daysLeft: days };
    if (days < 0) return session.down(data);
    return days < certificate.warnDays ? session.degraded(data) : session.up(data);
  }
}
