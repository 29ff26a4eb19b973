/**
 * The module-boundary rules must actually bite: lint source that breaks each one, as if it were a file in
 * that project, and expect the error (an open `*` rule would let all of these through).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '../..');

describe('module boundaries', () => {
  let eslint: ESLint;

  beforeAll(() => {
    // The Nx rule reads the cached project graph; make sure it exists for this checkout.
    execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'show', 'projects'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'ignore',
    });
    eslint = new ESLint({
      cwd: ROOT,
      // These sources are virtual: no program holds them, so the type-aware rules (not what is tested here)
      // and their parser setting are turned off.
      overrideConfig: {
        languageOptions: { parserOptions: { project: null } },
        rules: {
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/no-misused-promises': 'off',
        },
      },
    });
  }, 60_000);

  const violations = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
    return result.messages
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports')
      .map((m) => m.message);
  };

  it.each([
    [
      'libs/contracts/src/x.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    ],
    ['libs/invoice-domain/src/x.ts', "import { DataSource } from 'typeorm';\nexport const x = DataSource;\n"],
    [
      'libs/invoice-domain/src/x.ts',
      "import { trace } from '@opentelemetry/api';\nexport const x = trace;\n",
    ],
    [
      'libs/platform/http/src/x.ts',
      "import { validateUscc } from '@fapiao/invoice-domain';\nexport const x = validateUscc;\n",
    ],
    [
      'libs/contracts/src/x.ts',
      "import { OutboxWriter } from '@fapiao/platform/messaging';\nexport const x = OutboxWriter;\n",
    ],
    [
      'apps/order/src/x.ts',
      "import { AppModule } from '../../invoice/src/app.module';\nexport const x = AppModule;\n",
    ],
    ['apps/order/src/x.ts', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n"],
  ])('refuses %s importing across a boundary', async (filePath, code) => {
    expect(await violations(filePath, code)).not.toEqual([]);
  });

  it('allows what the layering permits', async () => {
    const code =
      "import { TOPICS } from '@fapiao/contracts';\nimport { validateUscc } from '@fapiao/invoice-domain';\n" +
      "import { OutboxWriter } from '@fapiao/platform/messaging';\nexport const x = [TOPICS, validateUscc, OutboxWriter];\n";
    expect(await violations('apps/order/src/x.ts', code)).toEqual([]);
  });
});
