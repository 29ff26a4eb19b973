/**
 * SASL and TLS against a real Apache Kafka of its own (tools/kafka), configured as a production cluster:
 * a SASL_SSL listener with SCRAM-SHA-512, an SSL listener that requires a client certificate, a SASL_SSL
 * listener with OAUTHBEARER validating JWTs against a JWKS, the StandardAuthorizer, and exactly the ACLs
 * of libs/contracts/src/kafka-acls.ts. Every client is built the way the services build theirs:
 * `createKafka(kafkaConfig(service).read())` from environment variables.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  logLevel,
  ResourcePatternTypes,
  type Kafka,
  type KafkaConfig as KafkaJsConfig,
} from 'kafkajs';
import { ALL_TOPICS, KAFKA_ACLS, kafkaAclRows, TOPICS } from '@fapiao/contracts';
import { kafkaConfig, type KafkaConfig } from '@fapiao/platform/config';
import { createKafka } from './kafka-client';
import { KafkaProducerService } from './kafka-producer.service';

interface KafkaHandle {
  bootstrap: string;
  stop(): Promise<void>;
}
const KAFKA = pathToFileURL(join(__dirname, '../../../../tools/kafka/kafka.mjs')).href;
const PORTS = pathToFileURL(join(__dirname, '../../../../tools/lib/ports.mjs')).href;
const run = promisify(execFile);

const ADMIN = 'fapiao-test-admin';
const ISSUER = 'fapiao-test-idp';
const AUDIENCE = 'kafka';
/**
 * Short, so the OAUTHBEARER test sees a re-authentication with a new token (at 14 s: kafkajs
 * re-authenticates when a session has 10 s left), yet long enough for that: a broker ends an OAUTHBEARER
 * session with its token, and refuses a second re-authentication within a second.
 */
const TOKEN_TTL_S = 24;
const secret = () => randomBytes(12).toString('hex');
const passwords: Record<string, string> = Object.fromEntries(
  [ADMIN, ...KAFKA_ACLS.map(({ principal }) => principal)].map((name) => [name, secret()]),
);
const runId = `${process.pid}-${Date.now()}`;

/** A throwaway CA, a server certificate for 127.0.0.1 and client certificates, in PEM files. */
async function makeCertificates(dir: string, clients: string[]) {
  // Arguments in one string (none has a space); a subject, which may, comes after it.
  const openssl = (args: string, ...more: string[]) =>
    run('openssl', [...args.split(' '), ...more], { cwd: dir });
  const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -noenc';
  for (const ca of ['ca', 'rogue-ca']) {
    await openssl(
      `req -x509 ${newKey} -keyout ${ca}.key -out ${ca}.crt -days 1`,
      '-subj',
      `/CN=fapiao ${ca}`,
    );
  }
  const issue = async (name: string, subject: string, ca: string, extensions: string) => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    await openssl(`req ${newKey} -keyout ${name}.key -out ${name}.csr`, '-subj', subject);
    const signer = `-CA ${ca}.crt -CAkey ${ca}.key -CAcreateserial -days 1`;
    await openssl(`x509 -req ${signer} -in ${name}.csr -out ${name}.crt -extfile ${name}.ext`);
  };
  const server = 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n';
  await issue('server', '/CN=127.0.0.1', 'ca', server);
  for (const client of clients) await issue(client, `/CN=${client}`, 'ca', 'extendedKeyUsage=clientAuth\n');
  // Same name as a real client, signed by a CA the broker does not trust.
  await issue('rogue-client', `/CN=${clients[0]}`, 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  // Kafka's PEM keystore: the unencrypted PKCS#8 key followed by the certificate.
  const pem = (name: string) => readFileSync(join(dir, name), 'utf8');
  writeFileSync(join(dir, 'server.pem'), pem('server.key') + pem('server.crt'));
  return (name: string) => join(dir, name);
}

/** A client_credentials token endpoint and the JWKS the broker validates its tokens with. */
async function startIdp(clients: Record<string, string>) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const issued: { client: string; token: string }[] = [];
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/jwks') return reply(200, { keys: [jwk] });
    if (req.url !== '/token' || req.method !== 'POST') return reply(404, { error: 'not_found' });
    const [scheme, encoded = ''] = (req.headers.authorization ?? '').split(' ');
    const [id = '', password = ''] = Buffer.from(encoded, 'base64')
      .toString('utf8')
      .split(':')
      .map(decodeURIComponent);
    if (scheme !== 'Basic' || clients[id] === undefined || clients[id] !== password) {
      return reply(401, { error: 'invalid_client' });
    }
    void sign(privateKey, id).then((token) => {
      issued.push({ client: id, token });
      reply(200, { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_S });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    tokenUrl: `${base}/token`,
    jwksUrl: `${base}/jwks`,
    issued,
    /** A token that expired a minute ago, signed with the right key. */
    expired: (subject: string) => sign(privateKey, subject, -60),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const sign = (key: CryptoKey, subject: string, expiresInS = TOKEN_TTL_S) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'kafka' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(Math.min(now, now + expiresInS - 60))
    .setExpirationTime(now + expiresInS)
    .sign(key);
};

/** The suite's own client settings: the environment a service would boot with, through kafkaConfig. */
function configFrom(vars: Record<string, string>, service = 'kafka-security-it'): KafkaConfig {
  const saved = process.env;
  const rest = Object.fromEntries(Object.entries(saved).filter(([name]) => !name.startsWith('KAFKA_')));
  process.env = { ...rest, ...vars };
  try {
    return kafkaConfig({ name: service, defaultPort: 0, defaultDatabase: 'none' }).read();
  } finally {
    process.env = saved;
  }
}

/** Refusals should come at once: no retries, and kafkajs's own error lines stay out of the output. */
const QUICK: Partial<KafkaJsConfig> = { retry: { retries: 0 }, logLevel: logLevel.NOTHING };

jest.setTimeout(60_000);

describe('Kafka with SASL, TLS and ACLs per service', () => {
  let dir: string;
  let broker: KafkaHandle;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let file: (name: string) => string;
  const address: Record<'scram' | 'mtls' | 'oauth', string> = { scram: '', mtls: '', oauth: '' };
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = <T extends { disconnect(): Promise<void> }>(client: T): T => {
    cleanups.push(() => client.disconnect().catch(() => undefined));
    return client;
  };

  /** SCRAM-SHA-512 over TLS with the test CA, credentials from files as in a pod. */
  const scramEnv = (principal: string, password = passwords[principal] ?? ''): Record<string, string> => {
    const passwordFile = join(dir, `${principal}-${randomBytes(4).toString('hex')}.password`);
    writeFileSync(passwordFile, `${password}\n`);
    return {
      KAFKA_BROKERS: address.scram,
      KAFKA_SSL_CA_FILE: file('ca.crt'),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    };
  };
  const kafkaFor = (vars: Record<string, string>, overrides: Partial<KafkaJsConfig> = QUICK): Kafka =>
    createKafka(configFrom(vars), overrides);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fapiao-kafka-security-'));
    file = await makeCertificates(
      dir,
      KAFKA_ACLS.map(({ principal }) => principal),
    );
    idp = await startIdp(
      Object.fromEntries(KAFKA_ACLS.map(({ principal }) => [principal, passwords[principal] ?? ''])),
    );
    const { startKafka } = (await import(KAFKA)) as {
      startKafka(options: object): Promise<KafkaHandle>;
    };
    const { freePort } = (await import(PORTS)) as { freePort(): Promise<number> };
    const [scramPort, mtlsPort, oauthPort] = [await freePort(), await freePort(), await freePort()];
    address.scram = `127.0.0.1:${scramPort}`;
    address.mtls = `127.0.0.1:${mtlsPort}`;
    address.oauth = `127.0.0.1:${oauthPort}`;
    broker = await startKafka({
      listeners: { SCRAM: address.scram, MTLS: address.mtls, OAUTH: address.oauth },
      properties: {
        'listener.security.protocol.map':
          'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SCRAM:SASL_SSL,MTLS:SSL,OAUTH:SASL_SSL',
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.location': file('server.pem'),
        'ssl.truststore.type': 'PEM',
        'ssl.truststore.location': file('ca.crt'),
        'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
        'listener.name.scram.sasl.enabled.mechanisms': 'SCRAM-SHA-512',
        'listener.name.scram.scram-sha-512.sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'listener.name.mtls.ssl.client.auth': 'required',
        // The certificate's CN is the principal, as a SCRAM user name is.
        'ssl.principal.mapping.rules': 'RULE:^CN=([^,]+)$/$1/,DEFAULT',
        'listener.name.oauth.sasl.enabled.mechanisms': 'OAUTHBEARER',
        'listener.name.oauth.oauthbearer.sasl.jaas.config':
          'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
        'listener.name.oauth.oauthbearer.sasl.server.callback.handler.class':
          'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler',
        'sasl.oauthbearer.jwks.endpoint.url': idp.jwksUrl,
        'sasl.oauthbearer.expected.audience': AUDIENCE,
        'sasl.oauthbearer.expected.issuer': ISSUER,
        'sasl.oauthbearer.clock.skew.seconds': 0,
        'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        // ANONYMOUS: the broker's own PLAINTEXT and CONTROLLER listeners on loopback, never a client here.
        'super.users': `User:${ADMIN};User:ANONYMOUS`,
        'allow.everyone.if.no.acl.found': false,
      },
      formatArgs: Object.entries(passwords).flatMap(([name, password]) => [
        '--add-scram',
        `SCRAM-SHA-512=[name=${name},password=${password}]`,
      ]),
      // Kafka 4 fetches OAuth URLs only from this allow-list, a JVM system property.
      jvmOptions: [`-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${idp.jwksUrl}`],
    });

    // Topics and ACLs as a platform team would create them: the admin user, over SASL_SSL.
    const admin = kafkaFor(scramEnv(ADMIN), {}).admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: ALL_TOPICS.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
      });
      await admin.createAcls({
        acl: kafkaAclRows().flatMap((row) =>
          row.names.map((name) => ({
            resourceType: row.resourceType === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
            resourceName: name,
            resourcePatternType: ResourcePatternTypes.LITERAL,
            principal: `User:${row.principal}`,
            host: '*',
            operation: row.operation === 'Write' ? AclOperationTypes.WRITE : AclOperationTypes.READ,
            permissionType: AclPermissionTypes.ALLOW,
          })),
        ),
      });
      // The controller has committed them; wait until the broker's authorizer has them too.
      const expected = kafkaAclRows().reduce((sum, row) => sum + row.names.length, 0);
      for (let tries = 0; ; tries += 1) {
        const { resources } = await admin.describeAcls({
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        });
        if (resources.reduce((sum, resource) => sum + resource.acls.length, 0) >= expected) break;
        if (tries > 50) throw new Error('the broker did not apply the ACLs');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The first group of a new cluster creates and loads __consumer_offsets: done once here, as admin.
      const warmUp = later(
        kafkaFor(scramEnv(ADMIN), { logLevel: logLevel.NOTHING }).consumer({
          groupId: 'fapiao-test-warm-up',
        }),
      );
      await warmUp.connect();
      await warmUp.subscribe({ topic: TOPICS.recon });
      const joined = new Promise((resolve) => warmUp.on(warmUp.events.GROUP_JOIN, resolve));
      await warmUp.run({ eachMessage: async () => undefined });
      await joined;
      await warmUp.disconnect();
      // The one topic no service writes: internal systems request invoices there.
      const producer = later(kafkaFor(scramEnv(ADMIN)).producer());
      await producer.connect();
      await producer.send({ topic: TOPICS.invoiceRequests, messages: [message(ADMIN)] });
    } finally {
      await admin.disconnect();
    }
  }, 180_000);

  afterAll(async () => {
    // A client stuck after a failed test must not keep the broker from stopping.
    const bounded = (cleanup: () => Promise<unknown>) =>
      Promise.race([cleanup(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await Promise.all(cleanups.map(bounded));
    await broker?.stop();
    await idp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The service's own producer (idempotent, acks=all), as its outbox relay and dead-lettering use it. */
  const producerOf = (vars: Record<string, string>): KafkaProducerService => {
    const producer = new KafkaProducerService(configFrom(vars));
    cleanups.push(() => producer.onApplicationShutdown());
    return producer;
  };
  const message = (writer: string) => ({ key: runId, value: JSON.stringify({ runId, writer }) });

  /** Reads `topic` from the start as consumer group `groupId` until this run's message from `writer` shows. */
  const readAs = async (kafka: Kafka, groupId: string, topic: string): Promise<string[]> => {
    const consumer = later(
      kafka.consumer({
        groupId,
        sessionTimeout: 6_000,
        rebalanceTimeout: 6_000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 100,
        allowAutoTopicCreation: false,
        retry: { retries: 2 },
      }),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const writers: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${groupId}: nothing of this run on ${topic}`)), 30_000);
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        void consumer.run({
          eachMessage: async ({ message: { value } }) => {
            const body = parseJson(value?.toString()) as { runId?: string; writer?: string };
            if (body.runId !== runId) return;
            writers.push(body.writer ?? '');
            resolve();
          },
        });
      });
    } finally {
      clearTimeout(timer);
    }
    await consumer.disconnect();
    return writers;
  };

  /** The refusal a promise ends in: the kafkajs error's name, message and protocol error types. */
  const errorOf = async (
    promise: Promise<unknown>,
  ): Promise<{ name: string; message: string; type?: string; types: string[] }> => {
    try {
      await promise;
    } catch (error) {
      const types: string[] = [];
      // kafkajs wraps the broker's error (originalError, cause) when it gives up retrying.
      for (let e = error as Record<string, unknown> | undefined; e;) {
        if (typeof e['type'] === 'string') types.push(e['type']);
        e = (e['originalError'] ?? e['cause']) as Record<string, unknown> | undefined;
      }
      const { name, message } = error as Error;
      return { name, message, type: types[0], types };
    }
    throw new Error('expected a refusal');
  };
  /** What a client gets when it connects and asks for metadata. */
  const refusalOf = (kafka: Kafka) => {
    const admin = later(kafka.admin());
    return errorOf(admin.connect().then(() => admin.listTopics()));
  };
  const parseJson = (text = ''): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return {};
    }
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('SCRAM-SHA-512 over TLS', () => {
    it('lets every service write each topic of its ACL row, and read each of its topics as its own groups', async () => {
      for (const { principal, writes } of KAFKA_ACLS) {
        const producer = producerOf(scramEnv(principal));
        await producer.sendBatch(writes.map((topic) => ({ topic, messages: [message(principal)] })));
      }
      const reads = KAFKA_ACLS.flatMap(({ principal, reads: topics, groups }) =>
        topics.map((topic, index) => ({ principal, topic, group: groups[index] ?? '' })),
      );
      // Each topic is read by the group the consumer runner names for it (`<group>` and `<group>.retry`).
      // allSettled: a refused reader must not leave the others running past the test.
      const seen = await Promise.allSettled(
        reads.map(({ principal, topic, group }) =>
          readAs(kafkaFor(scramEnv(principal), { logLevel: logLevel.NOTHING }), group, topic),
        ),
      );
      const outcomes = seen.map((outcome, index) => ({
        ...reads[index],
        outcome: outcome.status === 'fulfilled' ? 'read' : String(outcome.reason),
      }));
      expect(outcomes).toEqual(reads.map((read) => ({ ...read, outcome: 'read' })));
      expect(outcomes).toHaveLength(KAFKA_ACLS.reduce((sum, { reads: topics }) => sum + topics.length, 0));
    });

    it("refuses a service's producer a topic another service owns", async () => {
      const order = producerOf(scramEnv('fapiao-order'));
      await order.sendBatch([{ topic: TOPICS.orders, messages: [message('fapiao-order')] }]);
      const refused = await errorOf(
        order.sendBatch([{ topic: TOPICS.invoices, messages: [message('fapiao-order')] }]),
      );
      expect(refused).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    });

    it('refuses a consumer a topic it does not read, and a group that is not its own', async () => {
      // kafkajs reports a refused group as "Failed to find group coordinator"; its debug log has the cause.
      const answers: string[] = [];
      const invoice = kafkaFor(scramEnv('fapiao-invoice'), {
        ...QUICK,
        logLevel: logLevel.DEBUG,
        logCreator: () => (entry) => {
          const { type } = (entry.log['error'] ?? {}) as { type?: string };
          if (type) answers.push(type);
        },
      });
      expect(await errorOf(readAs(invoice, 'fapiao-invoice.fapiao.recon.v1', TOPICS.recon))).toMatchObject({
        type: 'TOPIC_AUTHORIZATION_FAILED',
      });
      expect(await errorOf(readAs(invoice, 'fapiao-order.fapiao.orders.v1', TOPICS.orders))).toMatchObject({
        name: 'KafkaJSGroupCoordinatorNotFound',
      });
      expect(answers).toContain('GROUP_AUTHORIZATION_FAILED');
    });

    it('refuses a wrong password', async () => {
      expect(await refusalOf(kafkaFor(scramEnv('fapiao-order', 'not-the-password')))).toMatchObject({
        name: 'KafkaJSSASLAuthenticationError',
        message: expect.stringMatching(/SASL SCRAM SHA512 authentication failed/),
      });
    });

    it('refuses a client without credentials', async () => {
      // The broker answers ApiVersions, then closes the connection on the first request without SASL.
      const anonymous = kafkaFor({ KAFKA_BROKERS: address.scram, KAFKA_SSL_CA_FILE: file('ca.crt') });
      expect(await refusalOf(anonymous)).toMatchObject({ message: 'Closed connection' });
    });

    it('refuses a client that does not trust the CA', async () => {
      const { KAFKA_SSL_CA_FILE: _ca, ...untrusting } = scramEnv('fapiao-order');
      for (const vars of [
        { ...untrusting, KAFKA_SSL: 'true' },
        { ...untrusting, KAFKA_SSL_CA_FILE: file('rogue-ca.crt') },
      ]) {
        expect((await refusalOf(kafkaFor(vars))).message).toMatch(/unable to verify the first certificate/);
      }
    });
  });

  describe('mutual TLS', () => {
    const mtlsEnv = (client: string, ca = 'ca'): Record<string, string> => ({
      KAFKA_BROKERS: address.mtls,
      KAFKA_SSL_CA_FILE: file(`${ca}.crt`),
      KAFKA_SSL_CERT_FILE: file(`${client}.crt`),
      KAFKA_SSL_KEY_FILE: file(`${client}.key`),
    });

    it("takes the certificate's CN as the principal: its own topic yes, another's no", async () => {
      const taxBridge = producerOf(mtlsEnv('fapiao-tax-bridge'));
      await taxBridge.sendBatch([{ topic: TOPICS.taxEvents, messages: [message('fapiao-tax-bridge')] }]);
      const refused = await errorOf(
        taxBridge.sendBatch([{ topic: TOPICS.taxCommands, messages: [message('fapiao-tax-bridge')] }]),
      );
      expect(refused).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    });

    it('refuses a client without a certificate, or with one from another CA', async () => {
      const anonymous = kafkaFor({ KAFKA_BROKERS: address.mtls, KAFKA_SSL_CA_FILE: file('ca.crt') });
      expect((await refusalOf(anonymous)).message).toMatch(/alert bad certificate/);
      const untrusted = kafkaFor({ ...mtlsEnv('rogue-client'), KAFKA_SSL_CA_FILE: file('ca.crt') });
      expect((await refusalOf(untrusted)).message).toMatch(/alert certificate unknown/);
    });
  });

  describe('OAUTHBEARER with client_credentials tokens', () => {
    const oauthEnv = (principal: string, password = passwords[principal] ?? '') => ({
      KAFKA_BROKERS: address.oauth,
      KAFKA_SSL_CA_FILE: file('ca.crt'),
      KAFKA_SASL_MECHANISM: 'oauthbearer',
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_PASSWORD: password,
      KAFKA_SASL_OAUTHBEARER_TOKEN_URL: idp.tokenUrl,
    });

    it("takes the token's subject as the principal: its own topic yes, another's no", async () => {
      const invoice = producerOf(oauthEnv('fapiao-invoice'));
      await invoice.sendBatch([{ topic: TOPICS.invoices, messages: [message('fapiao-invoice')] }]);
      const refused = await errorOf(
        invoice.sendBatch([{ topic: TOPICS.orders, messages: [message('fapiao-invoice')] }]),
      );
      expect(refused).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    });

    it('re-authenticates a long-lived connection with a new token before the first one expires', async () => {
      const issued = () => idp.issued.filter(({ client }) => client === 'fapiao-reconciliation').length;
      const before = issued();
      const recon = producerOf(oauthEnv('fapiao-reconciliation'));
      const started = Date.now();
      let sentAfterRefresh = 0;
      while (sentAfterRefresh < 2 && Date.now() - started < TOKEN_TTL_S * 1000) {
        await recon.sendBatch([{ topic: TOPICS.recon, messages: [message('fapiao-reconciliation')] }]);
        if (issued() - before >= 2) sentAfterRefresh += 1;
        await sleep(1_000);
      }
      expect({ tokens: issued() - before, sentAfterRefresh }).toEqual({ tokens: 2, sentAfterRefresh: 2 });
    });

    it('is refused with an expired token', async () => {
      const expired = await idp.expired('fapiao-reconciliation');
      // kafkajs takes the broker's OAUTHBEARER error challenge for a success and sees the connection
      // close; the challenge itself, in its debug log, says why.
      const challenges: string[] = [];
      const stale = createKafka(configFrom(oauthEnv('fapiao-reconciliation')), {
        ...QUICK,
        sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: expired }) },
        logLevel: logLevel.DEBUG,
        logCreator: () => (entry) => {
          const data = entry.log['data'] as { authBytes?: Buffer } | undefined;
          if (data?.authBytes?.length) challenges.push(data.authBytes.subarray(4).toString('utf8'));
        },
      });
      expect(await refusalOf(stale)).toMatchObject({ message: 'No brokers in the broker pool' });
      expect(challenges).toEqual([JSON.stringify({ status: 'invalid_token' })]);
    });

    it('refuses a client whose secret the token endpoint does not accept', async () => {
      expect((await refusalOf(kafkaFor(oauthEnv('fapiao-order', 'not-the-secret')))).message).toMatch(
        /OAUTHBEARER: no token from http:\/\/127\.0\.0\.1:\d+\/token: HTTP 401 invalid_client/,
      );
    });
  });
});
