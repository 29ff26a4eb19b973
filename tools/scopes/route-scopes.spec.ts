// Every route of every service, found by walking the controllers of each app module (dynamic modules
// included), has a scope decision — @Public(), or @RequireScopes(...) with at least one scope (plus any
// @RequireScopesWhen the handler enforces itself), or a service without authentication — and the README's
// scope table says exactly that, route by route. A list endpoint never answers more than MAX_PAGE_SIZE items.
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import {
  METHOD_METADATA,
  MODULE_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ZodType } from 'zod';
import { CONDITIONAL_SCOPES, REQUIRED_SCOPES, type ConditionalScopes } from '@fapiao/platform/auth';
import { IS_PUBLIC, MAX_PAGE_SIZE, ZodValidationPipe } from '@fapiao/platform/http';
import { usesAuth } from '@fapiao/platform/service';
import { AppModule as AuthApp } from '../../apps/auth/src/app.module';
import { AppModule as InvoiceApp } from '../../apps/invoice/src/app.module';
import { AppModule as OrderApp } from '../../apps/order/src/app.module';
import { AppModule as ReconciliationApp } from '../../apps/reconciliation/src/app.module';
import { AppModule as SimApp } from '../../apps/tax-authority-sim/src/app.module';
import { AppModule as TaxBridgeApp } from '../../apps/tax-bridge/src/app.module';

jest.setTimeout(60_000);

const SERVICES = [
  { name: 'auth', app: AuthApp },
  { name: 'order', app: OrderApp },
  { name: 'invoice', app: InvoiceApp },
  { name: 'tax-bridge', app: TaxBridgeApp },
  { name: 'reconciliation', app: ReconciliationApp },
  { name: 'tax-authority-sim', app: SimApp },
];

const METHODS: Record<number, string> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.DELETE]: 'DELETE',
  [RequestMethod.PATCH]: 'PATCH',
};

/** What the README says of a route that needs no token. */
const PUBLIC = 'public';
/** … and of every route of a service without authentication. */
const NO_AUTH = 'no authentication (service without auth)';
const ROUTE_PARAM_QUERY = 4;

/** Every controller of a module tree, dynamic modules included. */
function controllersOf(module: unknown, seen = new Set<unknown>()): Type[] {
  if (!module || seen.has(module)) return [];
  seen.add(module);
  const dynamic = (module as DynamicModule).module ? (module as DynamicModule) : undefined;
  const type = dynamic?.module ?? module;
  const metadata = (key: string) => (Reflect.getMetadata(key, type as object) ?? []) as unknown[];
  const controllers = [...(dynamic?.controllers ?? []), ...metadata(MODULE_METADATA.CONTROLLERS)] as Type[];
  const imports = [...(dynamic?.imports ?? []), ...metadata(MODULE_METADATA.IMPORTS)];
  return [...new Set([...controllers, ...imports.flatMap((item) => controllersOf(item, seen))])];
}

const joinPath = (...parts: (string | string[] | undefined)[]): string =>
  `/${parts
    .flatMap((part) => (Array.isArray(part) ? part : [part ?? '']))
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

interface Route {
  service: string;
  id: string;
  method: string;
  path: string;
  /** The scope decision, as the README's table writes it. */
  scopes: string;
  queryPipes: ZodValidationPipe<never>[];
}

/** The fields of a query pipe's object schema (none for other schemas). */
const shapeOf = (pipe: ZodValidationPipe<never>): Record<string, ZodType> =>
  (pipe.schema as unknown as { shape?: Record<string, ZodType> }).shape ?? {};

function routesOf(service: string, appModule: unknown): Route[] {
  const auth = usesAuth(appModule);
  return controllersOf(appModule).flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype)
      .filter(
        (key) =>
          key !== 'constructor' && Reflect.hasMetadata(METHOD_METADATA, controller.prototype[key] as object),
      )
      .flatMap((key) => {
        const handler = controller.prototype[key] as object;
        const targets = [handler, controller];
        const isPublic = targets.some((target) => Reflect.getMetadata(IS_PUBLIC, target));
        const required = (Reflect.getMetadata(REQUIRED_SCOPES, handler) ??
          Reflect.getMetadata(REQUIRED_SCOPES, controller)) as string[] | undefined;
        const conditional = (Reflect.getMetadata(CONDITIONAL_SCOPES, handler) ??
          Reflect.getMetadata(CONDITIONAL_SCOPES, controller)) as ConditionalScopes | undefined;
        let scopes: string;
        if (!auth) scopes = NO_AUTH;
        else if (isPublic) scopes = PUBLIC;
        else if (!required || required.length === 0) scopes = '';
        else {
          scopes = required.map((scope) => `\`${scope}\``).join(' + ');
          if (conditional) {
            scopes += `; also ${conditional.scopes.map((scope) => `\`${scope}\``).join(' + ')} when ${conditional.when}`;
          }
        }
        const args = Object.entries(
          (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<
            string,
            { pipes?: unknown[] }
          >,
        );
        const queryPipes = args
          .filter(([type]) => Number(type.split(':')[0]) === ROUTE_PARAM_QUERY)
          .flatMap(([, argument]) => argument.pipes ?? [])
          .filter((pipe): pipe is ZodValidationPipe<never> => pipe instanceof ZodValidationPipe);
        const paths = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat();
        return paths.map((path) => ({
          service,
          id: `${controller.name}.${key}`,
          method: METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number],
          path: joinPath(Reflect.getMetadata(PATH_METADATA, controller) as string | string[], path),
          scopes,
          queryPipes,
        }));
      }),
  );
}

const ROUTES = SERVICES.flatMap(({ name, app }) => routesOf(name, app));
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
