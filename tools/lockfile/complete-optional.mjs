// The npm registry reachable from our machines serves only the linux builds of platform-specific optional
// packages (@swc/core-darwin-arm64 & co. answer 404), so npm leaves them out of package-lock.json and
// `npm ci` then refuses the lock as incomplete. This adds the missing entries with the platform they are
// for, so npm skips them on other platforms exactly as it would with a full lock. Run after `npm install`:
//   node tools/lockfile/complete-optional.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK = join(import.meta.dirname, '../../package-lock.json');
const OS = [
  'darwin',
  'win32',
  'linux',
  'android',
  'freebsd',
  'openharmony',
  'sunos',
  'aix',
  'netbsd',
  'openbsd',
];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

/** Platform from the package name, e.g. `core-linux-arm-gnueabihf` → linux/arm (+ libc). */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((part) => OS.includes(part));
  const cpu = parts.find((part) => CPU.includes(part)) ?? (parts.includes('eabi') ? 'arm' : undefined);
  const libc = parts.some((part) => part.startsWith('musl'))
    ? 'musl'
    : parts.some((part) => part.startsWith('gnu'))
      ? 'glibc'
      : undefined;
  return { os, cpu, libc };
}

const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [dependency, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const topLevel = `node_modules/${dependency}`;
    if (Object.keys(lock.packages).some((path) => path === topLevel || path.endsWith(`/${topLevel}`)))
      continue;
    const { os, cpu, libc } = platformOf(dependency);
    if (!os && !cpu) continue; // not a platform build: a real gap, leave it for npm to report
    lock.packages[topLevel] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(os ? { os: [os] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-optional: ${added} platform entries added`);
