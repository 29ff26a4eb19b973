import { Module } from '@nestjs/common';
import { PlatformModule } from '@fapiao/platform/service';
import { CLIENT_CERTIFICATE, clientCertificateConfig } from './certificate/client-certificate';
import { ClientCertificateReadiness } from './certificate/client-certificate.readiness';
import { AcceptIssueCommandConsumer } from './consumers/accept-issue-command/accept-issue-command.consumer';
import { AcceptReverseCommandConsumer } from './consumers/accept-reverse-command/accept-reverse-command.consumer';
import { AuthorityPolicy, reportPauses } from './forwarding/authority-policy';
import { OutcomePublisher } from './forwarding/outcome-publisher';
import { ReversalResolver } from './forwarding/reversal-resolver';
import { SubmissionForwarder } from './forwarding/submission-forwarder';
import { SubmissionIntake } from './forwarding/submission-intake';
import { HttpTaxAuthorityAdapter } from './infrastructure/authority/http-tax-authority.adapter';
import { TaxAuthorityAdapter } from './infrastructure/authority/tax-authority.adapter';
import { SubmissionRepository, TypeOrmSubmissionRepository } from './infrastructure/submission.repository';
import { GetAuthorityStatusController } from './queries/get-authority-status/get-authority-status.controller';
import { TAX_BRIDGE_SCHEMA } from './schema';
import { TAX_BRIDGE_SERVICE } from './service';
import { TAX_BRIDGE_CONFIG, taxBridgeConfig, type TaxBridgeConfig } from './tax-bridge.config';

@Module({
  imports: [
    PlatformModule.forService({
      service: TAX_BRIDGE_SERVICE,
      schema: TAX_BRIDGE_SCHEMA,
      kafka: true,
      auth: true,
      readiness: [ClientCertificateReadiness],
    }),
  ],
  controllers: [AcceptIssueCommandConsumer, AcceptReverseCommandConsumer, GetAuthorityStatusController],
  providers: [
    { provide: TAX_BRIDGE_CONFIG, useFactory: () => taxBridgeConfig.read() },
    { provide: CLIENT_CERTIFICATE, useFactory: () => clientCertificateConfig.read() },
    { provide: TaxAuthorityAdapter, useClass: HttpTaxAuthorityAdapter },
    { provide: SubmissionRepository, useClass: TypeOrmSubmissionRepository },
    {
      provide: AuthorityPolicy,
      useFactory: (authority: TaxAuthorityAdapter, config: TaxBridgeConfig) =>
        reportPauses(new AuthorityPolicy(authority, config)),
      inject: [TaxAuthorityAdapter, TAX_BRIDGE_CONFIG],
    },
    OutcomePublisher,
    ReversalResolver,
    SubmissionForwarder,
    SubmissionIntake,
  ],
})
export class AppModule {}
