import { Module } from '@nestjs/common';
import { DeadLettersModule } from '@fapiao/platform/messaging';
import { PlatformModule } from '@fapiao/platform/service';
import { CLIENT_CERTIFICATE, clientCertificateConfig } from './certificate/client-certificate';
import { ClientCertificateReadiness } from './certificate/client-certificate.readiness';
import { AcceptIssueCommandConsumer } from './consumers/accept-issue-command/accept-issue-command.consumer';
import { AcceptReverseCommandConsumer } from './consumers/accept-reverse-command/accept-reverse-command.consumer';
import { AuthorityDependency } from './forwarding/authority.dependency';
import { AuthorityPolicy, reportPauses } from './forwarding/authority-policy';
import { OutcomePublisher } from './forwarding/outcome-publisher';
import { AUTHORITY_OPERATIONS } from './forwarding/operations/authority-operations';
import { SubmissionForwarder } from './forwarding/submission-forwarder';
import { SubmissionIntake } from './forwarding/submission-intake';
import { HttpTaxAuthorityAdapter } from './infrastructure/authority/http-tax-authority.adapter';
import { TaxAuthorityAdapter } from './infrastructure/authority/tax-authority.adapter';
import { TAX_BRIDGE_REPOSITORIES } from './infrastructure/persistence';
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
      dependencies: [AuthorityDependency],
    }),
    DeadLettersModule,
  ],
  controllers: [AcceptIssueCommandConsumer, AcceptReverseCommandConsumer, GetAuthorityStatusController],
  providers: [
    { provide: TAX_BRIDGE_CONFIG, useFactory: () => taxBridgeConfig.read() },
    { provide: CLIENT_CERTIFICATE, useFactory: () => clientCertificateConfig.read() },
    { provide: TaxAuthorityAdapter, useClass: HttpTaxAuthorityAdapter },
    ...TAX_BRIDGE_REPOSITORIES,
    {
      provide: AuthorityPolicy,
      useFactory: (config: TaxBridgeConfig) => reportPauses(new AuthorityPolicy(config)),
      inject: [TAX_BRIDGE_CONFIG],
    },
    ...AUTHORITY_OPERATIONS,
    OutcomePublisher,
    SubmissionForwarder,
    SubmissionIntake,
    AuthorityDependency,
  ],
})
export class AppModule {}
