import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

/** DI token of the loaded certificate (or null). */
export const CLIENT_CERTIFICATE = 'fapiao:tax-client-certificate';

export interface ClientCertificate {
  cert: string;
  key: string;
  ca?: string;
  subject: string;
  validTo: Date;
  warnDays: number;
}

const DAY_MS = 86_400_000;

export const daysToExpiry = (certificate: Pick<ClientCertificate, 'validTo'>, now = Date.now()): number =>
  Math.floor((certificate.validTo.getTime() - now) / DAY_MS);

type Problem = { variable: string; message: string };

/** Reads and checks the files; a list of problems, each naming its variable. */
function inspect(e: { cert?: string; key?: string; ca?: string }): {
  problems: Problem[];
  parsed?: X509Certificate;
} {
  if (!e.cert && !e.key) return { problems: [] };
  if (!e.cert || !e.key) {
    const variable = e.cert ? 'TAX_CLIENT_KEY_PATH' : 'TAX_CLIENT_CERT_PATH';
    return {
      problems: [{ variable, message: 'set both TAX_CLIENT_CERT_PATH and TAX_CLIENT_KEY_PATH, or neither' }],
    };
  }
  const problems: Problem[] = [];
  const files: [string, string | undefined][] = [
    ['TAX_CLIENT_CERT_PATH', e.cert],
    ['TAX_CLIENT_KEY_PATH', e.key],
    ['TAX_CA_PATH', e.ca],
  ];
  for (const [variable, path] of files) {
    if (!path) continue;
    try {
      readFileSync(path);
    } catch (error) {
      problems.push({ variable, message: `cannot read ${path}: ${(error as Error).message}` });
    }
  }
  if (problems.length > 0) return { problems };
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(readFileSync(e.cert));
  } catch (error) {
    return {
      problems: [
        { variable: 'TAX_CLIENT_CERT_PATH', message: `not a PEM certificate: ${(error as Error).message}` },
      ],
    };
  }
  if (new Date(parsed.validTo).getTime() <= Date.now()) {
    const subject = parsed.subject.replace(/\n/g, ', ');
    const expired = new Date(parsed.validTo).toISOString();
    problems.push({
      variable: 'TAX_CLIENT_CERT_PATH',
      message: `the client certificate (${subject}) expired on ${expired}; renew it in its Secret`,
    });
  }
  return { problems, parsed };
}

/**
 * The client certificate the authority's platform requires (mounted from a Secret). Checked at boot with the
 * rest of the config: a missing or unreadable file, a certificate without its key, or an expired
 * certificate stops the start with a message naming the variable, instead of surfacing later as
 * "authority unreachable". Null when none is configured (the simulator over plain HTTP).
 */
export const clientCertificateConfig = defineConfig(
  'taxClientCertificate',
  z
    .object({
      TAX_CLIENT_CERT_PATH: z.string().optional(),
      TAX_CLIENT_KEY_PATH: z.string().optional(),
      TAX_CA_PATH: z.string().optional(),
      TAX_CERT_WARN_DAYS: env.int(30, 1),
    })
    .superRefine((e, ctx) => {
      const { problems } = inspect({
        cert: e.TAX_CLIENT_CERT_PATH,
        key: e.TAX_CLIENT_KEY_PATH,
        ca: e.TAX_CA_PATH,
      });
      for (const { variable, message } of problems)
        ctx.addIssue({ code: 'custom', path: [variable], message });
    }),
  (e): ClientCertificate | null => {
    const { parsed } = inspect({
      cert: e.TAX_CLIENT_CERT_PATH,
      key: e.TAX_CLIENT_KEY_PATH,
      ca: e.TAX_CA_PATH,
    });
    if (!parsed || !e.TAX_CLIENT_CERT_PATH || !e.TAX_CLIENT_KEY_PATH) return null;
    return {
      cert: readFileSync(e.TAX_CLIENT_CERT_PATH, 'utf8'),
      key: readFileSync(e.TAX_CLIENT_KEY_PATH, 'utf8'),
      ca: e.TAX_CA_PATH ? readFileSync(e.TAX_CA_PATH, 'utf8') : undefined,
      subject: parsed.subject.replace(/\n/g, ', '),
      validTo: new Date(parsed.validTo),
      warnDays: e.TAX_CERT_WARN_DAYS,
    };
  },
);
