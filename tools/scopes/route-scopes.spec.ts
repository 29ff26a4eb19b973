// Every route of every service, found by walking the controllers of each app module (dynamic modules
// included), has a scope decision — @Public(), or @RequireScopes(...) with at least one scope (plus any
// @RequireScopesWhen the handler enforces itself), or a service without authentication (the simulator's
// control routes: its admin token) — and the README's scope table says exactly that, route by route. A
// list endpoint never answers more than MAX_PAGE_SIZE items.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_PAGE_SIZE } from '@fapiao/platform/http';
import { allRoutes, SERVICES, shapeOf, type Route } from './routes';

jest.setTimeout(60_000);

const ROUTES = allRoutes();
const rowOf = ({ service, method, path, scopes }: Route) =>
  [service, method, `\`${path}\``, scopes].join(' | ');

/** The rows of the README's table between its markers, cells trimmed. */
function readmeRows(): string[] {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const table = /<!-- route-scopes:begin -->([\s\S]*?)<!-- route-scopes:end -->/.exec(readme);
  if (!table)
    throw new Error('README.md has no <!-- route-scopes:begin --> … <!-- route-scopes:end --> table');
  return table[1]
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .slice(2) // header and separator
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
        .join(' | '),
    );
}

describe('route scopes', () => {
  it('finds the routes of every service', () => {
    for (const { name } of SERVICES) expect(ROUTES.some((route) => route.service === name)).toBe(true);
    expect(ROUTES.find((route) => route.id === 'CancelOrderController.cancel')).toMatchObject({
      method: 'POST',
      path: '/v1/orders/:id/cancel',
    });
  });

  it.each(ROUTES.map((route) => [`${route.service} ${route.method} ${route.path}`, route] as const))(
    '%s has a scope decision',
    (_name, route) => {
      // A token-only route (guarded, no @RequireScopes) would let any client of the tenant in.
      expect({ route: route.id, scopes: route.scopes }).not.toEqual({ route: route.id, scopes: '' });
    },
  );

  it('are listed in the README, route by route, exactly as the code decides them', () => {
    const expected = ROUTES.map(rowOf).sort();
    const listed = readmeRows().sort();
    // On a difference, the whole table as the code has it (to paste between the README's markers):
    const table = ['| service | method | path | scopes |', '| --- | --- | --- | --- |']
      .concat(ROUTES.map((route) => `| ${rowOf(route)} |`))
      .join('\n');
    expect({ listed, table: listed.join() === expected.join() ? '' : table }).toEqual({
      listed: expected,
      table: '',
    });
  });

  it.each(
    ROUTES.filter((route) => route.queryPipes.some((pipe) => 'pageSize' in shapeOf(pipe))).map(
      (route) => [`${route.service} ${route.method} ${route.path}`, route] as const,
    ),
  )('%s answers at most MAX_PAGE_SIZE items', (_name, route) => {
    for (const pipe of route.queryPipes) {
      const pageSize = shapeOf(pipe).pageSize;
      expect(pageSize.safeParse(String(MAX_PAGE_SIZE + 1)).success).toBe(false);
      const byDefault = pageSize.safeParse(undefined);
      if (byDefault.success) expect(byDefault.data).toBeLessThanOrEqual(MAX_PAGE_SIZE);
    }
  });
});
