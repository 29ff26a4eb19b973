// `npm run bench -- --own-suite --sql-profile`: every statement the suite sends during the window, from
// MariaDB's slow log with long_query_time=0 (it applies to connections opened afterwards: the bench's own
// suite opens them all after this starts), grouped by shape — literals and IN lists folded — with its
// count, time inside MariaDB and rows examined per call. A statement whose rows examined grow with the
// table is a scan; one that runs many times per invoice is a round trip to fold.
import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** One statement of a slow log, its literals and lists folded: statements that differ only in values group. */
export function statementShape(sql) {
  return sql
    .replace(/'(?:[^'\\]|\\.)*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/(\?|N)(\s*,\s*(\?|N))+/g, '?…')
    .replace(/\(\s*\?…\s*\)(\s*,\s*\(\s*\?…\s*\))+/g, '(?…)…')
    .replace(/\bIN \((\?|N)\)/gi, 'IN (?…)')
    .replace(/\bIN \(\(\?…\)\)/gi, 'IN ((?…)…)')
    .replace(/WHEN \?…? THEN \?…?( WHEN \?…? THEN \?…?)+/g, 'WHEN … THEN …')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A slow log's entries grouped by database and shape, the most time first: count, total ms inside
 * MariaDB, µs and rows examined per call, and how many calls read a whole table (its plan's Full_scan,
 * logged with log_slow_verbosity=query_plan). `top` keeps that many shapes.
 */
export function profileSlowLog(text, top = 40) {
  const shapes = new Map();
  for (const entry of text.split(/^# User@Host:/m).slice(1)) {
    const seconds = Number(/Query_time: ([\d.]+)/.exec(entry)?.[1] ?? 0);
    const examined = Number(/Rows_examined: (\d+)/.exec(entry)?.[1] ?? 0);
    const schema = /Schema: (\S*)/.exec(entry)?.[1] ?? '';
    const fullScan = /Full_scan: Yes/.test(entry);
    const sql = entry
      .split('\n')
      .slice(1)
      .filter((line) => line && !line.startsWith('#') && !/^(SET timestamp|use )/i.test(line))
      .join(' ');
    if (!sql.trim()) continue;
    const statement = statementShape(sql).replace(/;$/, '');
    const key = `${schema} ${statement}`;
    const sum = shapes.get(key) ?? { schema, statement, count: 0, seconds: 0, examined: 0, fullScans: 0 };
    sum.count += 1;
    sum.seconds += seconds;
    sum.examined += examined;
    sum.fullScans += fullScan ? 1 : 0;
    shapes.set(key, sum);
  }
  return [...shapes.values()]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, top)
    .map(({ schema, statement, count, seconds, examined, fullScans }) => ({
      schema,
      statement,
      count,
      totalMs: +(seconds * 1000).toFixed(1),
      usPerCall: Math.round((seconds * 1e6) / count),
      rowsExaminedPerCall: +(examined / count).toFixed(1),
      fullScans,
    }));
}

/**
 * Turns MariaDB's slow log on for every statement (SUPER or SYSTEM_VARIABLES_ADMIN needed: the root account
 * `ensure-mariadb.sh` gives on this machine), into a file of the bench's own. `window()` marks where the
 * measured window starts; `stop()` restores the settings and returns the window's profile.
 */
export async function startSqlProfile(db) {
  const mysql = require('mysql2/promise');
  const admin = await mysql.createConnection(db);
  const [[before]] = await admin.query(
    'SELECT @@global.slow_query_log AS enabled, @@global.slow_query_log_file AS file, @@global.long_query_time AS threshold, @@global.log_slow_verbosity AS verbosity',
  );
  const file = join(tmpdir(), `fapiao-bench-slow-${process.pid}.log`);
  await admin.query('SET GLOBAL slow_query_log_file = ?', [file]);
  await admin.query('SET GLOBAL long_query_time = 0');
  await admin.query("SET GLOBAL log_slow_verbosity = 'query_plan'");
  await admin.query('SET GLOBAL slow_query_log = 1');
  const size = () => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  let from = 0;
  let stopped;
  const stop = async (top) => {
    const to = size();
    await admin.query('SET GLOBAL slow_query_log = ?', [before.enabled]);
    await admin.query('SET GLOBAL long_query_time = ?', [Number(before.threshold)]);
    await admin.query('SET GLOBAL log_slow_verbosity = ?', [before.verbosity]);
    await admin.query('SET GLOBAL slow_query_log_file = ?', [before.file]);
    await admin.end();
    const buffer = Buffer.alloc(to - from);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
      rmSync(file, { force: true });
    }
    return profileSlowLog(buffer.toString('utf8'), top);
  };
  return {
    file,
    window: () => {
      from = size();
    },
    /** The window's profile; settings restored once, however often it is called. */
    stop: (top) => (stopped ??= stop(top)),
  };
}
