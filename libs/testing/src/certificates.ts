import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Files of a generated certificate and its key, and their PEM text. */
export interface CertificateFiles {
  cert: string;
  key: string;
  certPem: string;
  keyPem: string;
}

/** An openssl date `days` from now (negative: in the past), as `openssl ca -startdate/-enddate` take it. */
export const opensslDate = (days: number, from = Date.now()): string =>
  new Date(from + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

/**
 * Makes self-signed certificates valid between two openssl dates (openssl ca, since `req -x509` cannot
 * backdate), in a fresh temporary folder: expired, not-yet-valid or soon-expiring certificates for tests.
 * `san` is an extension line such as `subjectAltName=DNS:localhost,IP:127.0.0.1`.
 */
export function certificateMaker(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  return (name: string, from: string, to: string, san = ''): CertificateFiles => {
    const ca = join(dir, `ca-${name}`);
    mkdirSync(join(ca, 'newcerts'), { recursive: true });
    writeFileSync(join(ca, 'index.txt'), '');
    writeFileSync(join(ca, 'serial'), '01\n');
    writeFileSync(
      join(ca, 'ca.cnf'),
      `[ca]\ndefault_ca=d\n[d]\ndatabase=${ca}/index.txt\nnew_certs_dir=${ca}/newcerts\nserial=${ca}/serial\n` +
        `default_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n`,
    );
    const key = join(dir, `${name}.key`);
    const cert = join(dir, `${name}.crt`);
    const subject = ['-subj', `/CN=${name}`, ...(san ? ['-addext', san] : [])];
    openssl(
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      `${name}.csr`,
      ...subject,
    );
    openssl(
      'ca',
      '-batch',
      '-config',
      join(ca, 'ca.cnf'),
      '-selfsign',
      '-keyfile',
      key,
      '-in',
      `${name}.csr`,
      '-out',
      cert,
      '-startdate',
      from,
      '-enddate',
      to,
    );
    return { cert, key, certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  };
}
