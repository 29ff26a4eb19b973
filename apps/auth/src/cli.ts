/**
 * Operator commands that run against auth's database without HTTP:
 *   node dist/apps/auth/src/cli.js seed-demo --out .fapiao/dev-credentials.json
 * creates (or reuses) the demo tenant and an API client with every tenant scope (never a platform one)
 * and writes its credentials. Like every start of auth, it also creates the platform clients that
 * AUTH_PLATFORM_CLIENT_* and AUTH_TENANT_LOOKUP_CLIENT_* configure.
 */
import { NestFactory } from '@nestjs/core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TENANT_SCOPES } from '@fapiao/platform/auth';
import { AppModule } from './app.module';
import { CreateClientHandler } from './commands/create-client/create-client.handler';
import { CreateTenantHandler } from './commands/create-tenant/create-tenant.handler';
import { ApiClientRepository } from './infrastructure/api-client.repository';
import { TenantRepository } from './infrastructure/tenant.repository';

/** A syntactically valid, fictitious seller (GB 32100-2015 check character computed). */
export const DEMO_SELLER = { name: '演示科技有限公司 (fapiao demo)', sellerTaxId: '91440300317D3K8N04' };

interface DevCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  sellerTaxId: string;
}

async function seedDemo(outFile: string): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    const tenants = app.get(TenantRepository);
    const clients = app.get(ApiClientRepository);
    const previous = existsSync(outFile)
      ? (JSON.parse(readFileSync(outFile, 'utf8')) as DevCredentials)
      : undefined;
    const reusable = previous && (await clients.findActive(previous.clientId));
    // A demo client from before the platform/tenant split (it held ops:admin) is replaced.
    if (
      previous &&
      reusable &&
      TENANT_SCOPES.every((scope) => reusable.scopes.includes(scope)) &&
      (await tenants.findById(previous.tenantId))
    ) {
      console.log(JSON.stringify(previous));
      return;
    }
    const tenant =
      (await tenants.findBySellerTaxId(DEMO_SELLER.sellerTaxId)) ??
      (await app.get(CreateTenantHandler).execute(DEMO_SELLER));
    const client = await app
      .get(CreateClientHandler)
      .execute(tenant.id, { name: 'demo', scopes: [...TENANT_SCOPES] });
    const credentials: DevCredentials = {
      tenantId: tenant.id,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      sellerTaxId: tenant.sellerTaxId,
    };
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    console.log(JSON.stringify(credentials));
  } finally {
    await app.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const outIndex = rest.indexOf('--out');
  if (command !== 'seed-demo' || outIndex < 0 || !rest[outIndex + 1]) {
    console.error('usage: cli.js seed-demo --out <file>');
    process.exit(2);
  }
  await seedDemo(rest[outIndex + 1]);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`auth cli failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
