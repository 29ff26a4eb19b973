// What the tools that build a program once per machine share (jaeger, kube): the cache folder, a lock
// that a killed build never leaves behind, and a child process whose failure carries its stderr.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Same rule as tools/dev-broker/build.mjs: ~/.cache/fapiao unless XDG_CACHE_HOME says otherwise. */
export const cacheRoot = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fapiao');

export const executable = (path) =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * Holds flock(1) on `path` in a child that lives until unlock() or our own death (its stdin closes), so a
 * killed build never leaves a stale lock.
 */
export async function lock(path, onWait) {
  const holder = spawn('flock', [path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = setTimeout(onWait, 1000);
  try {
    const locked = await Promise.race([
      once(holder.stdout, 'data').then(() => true),
      once(holder, 'exit').then(() => false),
    ]);
    if (!locked) throw new Error(`flock ${path} exited with ${holder.exitCode}`);
  } finally {
    clearTimeout(waiting);
  }
  return () => holder.stdin.end();
}

/** Runs `cmd` to the end; resolves its stdout, rejects with its stderr (prefixed by `label`). */
export function run(label, cmd, args, cwd, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0
        ? resolvePromise(stdout)
        : reject(
            new Error(`${label}: ${cmd} ${args.join(' ')} exited with ${signal ?? code}\n${stderr.trim()}`),
          ),
    );
  });
}
