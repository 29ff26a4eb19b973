import { Secret, type KafkaConfig } from '@fapiao/platform/config';
import { securityOptions } from './kafka-client';

const base: KafkaConfig = {
  brokers: ['k:9093'],
  clientId: 'fapiao-order',
  prefix: '',
  ssl: false,
  sasl: undefined,
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
};

describe('createKafka security options', () => {
  it('hands kafkajs plaintext, system-trust TLS, a private CA or a client certificate', () => {
    expect(securityOptions(base)).toEqual({ ssl: false, sasl: undefined });
    expect(securityOptions({ ...base, ssl: {} }).ssl).toBe(true);
    expect(securityOptions({ ...base, ssl: { ca: 'CA' } }).ssl).toEqual({ ca: 'CA' });
    expect(securityOptions({ ...base, ssl: { ca: 'CA', cert: 'CERT', key: new Secret('KEY') } }).ssl).toEqual(
      { ca: 'CA', cert: 'CERT', key: 'KEY' },
    );
  });

  it('reveals the SASL password to kafkajs only', () => {
    const sasl = { mechanism: 'scram-sha-512' as const, username: 'order', password: new Secret('pw') };
    expect(securityOptions({ ...base, sasl }).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'order',
      password: 'pw',
    });
  });

  it('gives every client of one config the same OAUTHBEARER token source', () => {
    const config: KafkaConfig = {
      ...base,
      sasl: {
        mechanism: 'oauthbearer',
        tokenUrl: 'https://idp.example/token',
        clientId: 'order',
        clientSecret: new Secret('pw'),
      },
    };
    const first = securityOptions(config).sasl as { oauthBearerProvider: unknown };
    const second = securityOptions(config).sasl as { oauthBearerProvider: unknown };
    expect(first).toMatchObject({ mechanism: 'oauthbearer' });
    expect(first.oauthBearerProvider).toBe(second.oauthBearerProvider);
  });
});
