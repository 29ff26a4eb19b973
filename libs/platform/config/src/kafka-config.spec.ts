import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigValidationError } from './define-config';
import { Secret } from './secret';
import { kafkaConfig } from './service-config';

const service = { name: 'order', defaultPort: 3002, defaultDatabase: 'fapiao_order' };
const dir = mkdtempSync(join(tmpdir(), 'fapiao-kafka-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const PASSWORD = 's3cret-Pa55';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(vars: NodeJS.ProcessEnv) {
  const saved = process.env;
  process.env = { KAFKA_BROKERS: 'k:9093', ...vars };
  try {
    return kafkaConfig(service).read();
  } finally {
    process.env = saved;
  }
}

/** The variables a ConfigValidationError names, with their messages. */
function issues(vars: NodeJS.ProcessEnv): Record<string, string> {
  try {
    read(vars);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(error.issues.map((issue) => [issue.variable, issue.message]));
  }
  throw new Error('expected a ConfigValidationError');
}

describe('kafkaConfig: SASL and TLS', () => {
  it('is plaintext without SASL by default', () => {
    expect(read({})).toMatchObject({ ssl: false, sasl: undefined });
  });

  it('reads SCRAM credentials from variables or from files, dropping the file’s trailing newline', () => {
    const fromValues = read({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'order',
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    expect(fromValues.sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'order' });
    const fromFiles = read({
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME_FILE: file('user', 'order\n'),
      KAFKA_SASL_PASSWORD_FILE: file('password', `${PASSWORD}\n`),
    });
    expect(fromFiles.sasl).toMatchObject({ mechanism: 'scram-sha-256', username: 'order' });
    for (const config of [fromValues, fromFiles]) {
      const sasl = config.sasl as { password: Secret };
      expect(sasl.password.reveal()).toBe(PASSWORD);
    }
  });

  it('never prints a password or a private key, whichever way the config is logged', () => {
    const config = read({
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'order',
      KAFKA_SASL_PASSWORD: PASSWORD,
      KAFKA_SSL_CERT_FILE: file('client.crt', 'CERT'),
      KAFKA_SSL_KEY_FILE: file('client.key', 'PRIVATE-KEY'),
    });
    const { password } = config.sasl as { password: Secret };
    for (const printed of [JSON.stringify(config), inspect(config, { depth: 10 }), `${password}`]) {
      expect(printed).not.toContain(PASSWORD);
      expect(printed).not.toContain('PRIVATE-KEY');
    }
    expect(JSON.stringify(config)).toContain('[redacted]');
  });

  it('names the mechanism when credentials come without one, and the credentials when they are missing', () => {
    expect(issues({ KAFKA_SASL_USERNAME: 'order', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual({
      KAFKA_SASL_MECHANISM: 'is required when KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD is set',
    });
    expect(issues({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'order' })).toEqual({
      KAFKA_SASL_PASSWORD:
        'KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with KAFKA_SASL_MECHANISM=scram-sha-512',
    });
    expect(Object.keys(issues({ KAFKA_SASL_MECHANISM: 'plain' }))).toEqual([
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
    ]);
  });

  it('refuses an unknown mechanism', () => {
    expect(Object.keys(issues({ KAFKA_SASL_MECHANISM: 'gssapi' }))).toEqual(['KAFKA_SASL_MECHANISM']);
  });

  it('wants exactly one of a value and its file', () => {
    expect(
      issues({
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'order',
        KAFKA_SASL_PASSWORD: PASSWORD,
        KAFKA_SASL_PASSWORD_FILE: file('password-too', PASSWORD),
      }),
    ).toEqual({ KAFKA_SASL_PASSWORD_FILE: 'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both' });
  });

  it('names a missing, unreadable or empty file’s variable and its path, never its content', () => {
    const missing = join(dir, 'nope');
    expect(
      issues({
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'order',
        KAFKA_SASL_PASSWORD_FILE: missing,
        KAFKA_SSL_CA_FILE: dir,
      }),
    ).toEqual({
      KAFKA_SASL_PASSWORD_FILE: `cannot read ${missing} (ENOENT)`,
      KAFKA_SSL_CA_FILE: `cannot read ${dir} (EISDIR)`,
    });
    const empty = file('empty', '\n');
    expect(issues({ KAFKA_SSL_CA_FILE: empty })).toEqual({ KAFKA_SSL_CA_FILE: `${empty} is empty` });
  });

  it('makes any TLS file imply TLS and wants a client certificate and its key together', () => {
    expect(read({ KAFKA_SSL: 'true' }).ssl).toEqual({});
    expect(read({ KAFKA_SSL_CA_FILE: file('ca.pem', 'CA') }).ssl).toEqual({ ca: 'CA' });
    const mutual = read({
      KAFKA_SSL_CERT_FILE: file('c.pem', 'CERT'),
      KAFKA_SSL_KEY_FILE: file('k.pem', 'KEY'),
    });
    expect(mutual.ssl && mutual.ssl.cert).toBe('CERT');
    expect(mutual.ssl && mutual.ssl.key?.reveal()).toBe('KEY');
    expect(issues({ KAFKA_SSL_CERT_FILE: file('c2.pem', 'CERT') })).toEqual({
      KAFKA_SSL_KEY_FILE: 'is required with KAFKA_SSL_CERT_FILE (a client certificate needs both)',
    });
    expect(Object.keys(issues({ KAFKA_SSL_KEY_FILE: file('k2.pem', 'KEY') }))).toEqual([
      'KAFKA_SSL_CERT_FILE',
    ]);
  });

  it('takes OAUTHBEARER client credentials and a token URL, and the token URL only with it', () => {
    const config = read({
      KAFKA_SASL_MECHANISM: 'oauthbearer',
      KAFKA_SASL_USERNAME: 'order',
      KAFKA_SASL_PASSWORD: PASSWORD,
      KAFKA_SASL_OAUTHBEARER_TOKEN_URL: 'https://idp.example/oauth/token',
      KAFKA_SASL_OAUTHBEARER_SCOPE: 'kafka',
    });
    expect(config.sasl).toMatchObject({
      mechanism: 'oauthbearer',
      clientId: 'order',
      tokenUrl: 'https://idp.example/oauth/token',
      scope: 'kafka',
    });
    expect(
      issues({
        KAFKA_SASL_MECHANISM: 'oauthbearer',
        KAFKA_SASL_USERNAME: 'order',
        KAFKA_SASL_PASSWORD: PASSWORD,
      }),
    ).toEqual({ KAFKA_SASL_OAUTHBEARER_TOKEN_URL: 'is required with KAFKA_SASL_MECHANISM=oauthbearer' });
    expect(
      issues({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'order',
        KAFKA_SASL_PASSWORD: PASSWORD,
        KAFKA_SASL_OAUTHBEARER_TOKEN_URL: 'https://idp.example/oauth/token',
      }),
    ).toEqual({
      KAFKA_SASL_OAUTHBEARER_TOKEN_URL: 'is only for KAFKA_SASL_MECHANISM=oauthbearer, not scram-sha-512',
    });
    expect(
      Object.keys(issues({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTHBEARER_TOKEN_URL: 'nope' })),
    ).toEqual(expect.arrayContaining(['KAFKA_SASL_OAUTHBEARER_TOKEN_URL']));
  });

  it('treats empty variables as unset, as everywhere else', () => {
    expect(read({ KAFKA_SASL_MECHANISM: '', KAFKA_SASL_PASSWORD: '', KAFKA_SSL_CA_FILE: '' })).toMatchObject({
      ssl: false,
      sasl: undefined,
    });
  });
});
