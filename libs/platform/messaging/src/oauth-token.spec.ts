import { Secret } from '@fapiao/platform/config';
import { clientCredentialsTokenSource } from './oauth-token';

const credentials = {
  tokenUrl: 'https://idp.example/oauth/token',
  clientId: 'order',
  clientSecret: new Secret('p@ss:word'),
  scope: 'kafka',
};

function fakeIdp(answers: (() => Response)[]) {
  const requests: { authorization: string; body: string }[] = [];
  const fetch = jest.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    requests.push({
      authorization: new Headers(init?.headers).get('authorization') ?? '',
      body: String(init?.body),
    });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    return answer();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

const token = (value: string, expiresIn: number) => () =>
  Response.json({ access_token: value, token_type: 'Bearer', expires_in: expiresIn });

describe('clientCredentialsTokenSource', () => {
  it('asks with client_secret_basic and the scope, then reuses the token until 80 % of its lifetime', async () => {
    let now = 1_000_000;
    const idp = fakeIdp([token('t1', 600), token('t2', 600)]);
    const next = clientCredentialsTokenSource(credentials, { fetch: idp.fetch, now: () => now });

    expect(await next()).toEqual({ value: 't1' });
    expect(idp.requests[0]).toEqual({
      authorization: `Basic ${Buffer.from('order:p%40ss%3Aword').toString('base64')}`,
      body: 'grant_type=client_credentials&scope=kafka',
    });
    now += 479_000;
    expect(await next()).toEqual({ value: 't1' });
    now += 2_000;
    expect(await next()).toEqual({ value: 't2' });
    expect(idp.requests).toHaveLength(2);
  });

  it('leaves a token at least 30 s to live (kafkajs re-authenticates when 10 s are left), short ones half', async () => {
    let now = 0;
    const idp = fakeIdp([token('t1', 100), token('t2', 100), token('t3', 20), token('t4', 20)]);
    const next = clientCredentialsTokenSource(credentials, { fetch: idp.fetch, now: () => now });
    await next();
    now = 69_000;
    expect(await next()).toEqual({ value: 't1' });
    now = 70_000;
    expect(await next()).toEqual({ value: 't2' });
    now = 140_000;
    expect(await next()).toEqual({ value: 't3' });
    now = 149_000;
    expect(await next()).toEqual({ value: 't3' });
    now = 150_000;
    expect(await next()).toEqual({ value: 't4' });
  });

  it('shares one request between concurrent callers', async () => {
    const idp = fakeIdp([token('t1', 60)]);
    const next = clientCredentialsTokenSource(credentials, { fetch: idp.fetch });
    const tokens = await Promise.all([next(), next(), next()]);
    expect(tokens.map((t) => t.value)).toEqual(['t1', 't1', 't1']);
    expect(idp.requests).toHaveLength(1);
  });

  it('keeps handing out an unexpired token while the endpoint fails, then reports the failure', async () => {
    let now = 0;
    const idp = fakeIdp([
      token('t1', 10),
      () => Response.json({ error: 'temporarily_unavailable' }, { status: 503 }),
      () => Response.json({ error: 'invalid_client' }, { status: 401 }),
    ]);
    const next = clientCredentialsTokenSource(credentials, { fetch: idp.fetch, now: () => now });
    await next();
    now = 9_000;
    expect(await next()).toEqual({ value: 't1' });
    now = 10_000;
    const failure = next();
    await expect(failure).rejects.toThrow(
      'OAUTHBEARER: no token from https://idp.example/oauth/token: HTTP 401 invalid_client',
    );
    await failure.catch((error: Error) => expect(error.message).not.toContain('p@ss'));
  });

  it('falls back to the JWT exp when expires_in is missing, and refuses a token without either', async () => {
    const now = 1_700_000_000_000;
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    const idp = fakeIdp([
      () => Response.json({ access_token: jwt({ exp: now / 1000 + 100 }) }),
      () => Response.json({ access_token: 'opaque' }),
    ]);
    const withExp = clientCredentialsTokenSource(credentials, { fetch: idp.fetch, now: () => now });
    expect((await withExp()).value).toContain('.');
    const opaque = clientCredentialsTokenSource(credentials, { fetch: idp.fetch, now: () => now });
    await expect(opaque()).rejects.toThrow(/neither expires_in nor a JWT exp/);
  });
});
