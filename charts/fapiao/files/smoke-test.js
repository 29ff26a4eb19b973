// `helm test` script, run with `node -e` inside a fapiao image: every component's /readyz must answer
// 200, and the token endpoint must reject an unknown client with 401 AUTH.INVALID_CLIENT — which proves
// auth is up and wired to its database without needing seeded credentials.
const readyUrls = JSON.parse(process.env.READY_URLS);
const tokenUrl = process.env.TOKEN_URL;
const timeout = () => AbortSignal.timeout(Number(process.env.REQUEST_TIMEOUT_MS || 5000));

async function check(name, run) {
  try {
    await run();
    console.log(`ok   ${name}`);
    return true;
  } catch (error) {
    console.log(`FAIL ${name}: ${error.message}`);
    return false;
  }
}

async function main() {
  const results = [];
  for (const [component, url] of Object.entries(readyUrls)) {
    results.push(
      await check(`${component} ready`, async () => {
        const response = await fetch(url, { signal: timeout() });
        if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
      }),
    );
  }
  results.push(
    await check('token endpoint rejects an unknown client', async () => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'helm-test-unknown',
          client_secret: 'x',
        }),
        signal: timeout(),
      });
      const body = await response.json().catch(() => null);
      if (response.status !== 401 || body?.code !== 'AUTH.INVALID_CLIENT') {
        throw new Error(`POST ${tokenUrl} answered ${response.status} ${JSON.stringify(body)}`);
      }
    }),
  );
  process.exitCode = results.every(Boolean) ? 0 : 1;
}

main();
