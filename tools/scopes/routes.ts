// Every route of every service, found by walking the controllers of each app module (dynamic modules
// included), with its scope decision as the README's table writes it. Used by the scope table's spec and
// by the tenant-isolation e2e test, so that neither keeps a hand list of routes.
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import {
  METHOD_METADATA,
  MODULE_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import type { ZodType } from 'zod';
import { CONDITIONAL_SCOPES, REQUIRED_SCOPES, type ConditionalScopes } from '@fapiao/platform/auth';
import { IS_PUBLIC, ZodValidationPipe } from '@fapiao/platform/http';
import { usesAuth } from '@fapiao/platform/service';
import { AppModule as AuthApp } from '../../apps/auth/src/app.module';
import { AppModule as InvoiceApp } from '../../apps/invoice/src/app.module';
import { AppModule as OrderApp } from '../../apps/order/src/app.module';
import { AppModule as ReconciliationApp } from '../../apps/reconciliation/src/app.module';
import { AppModule as SimApp } from '../../apps/tax-authority-sim/src/app.module';
import { SIM_CONTROL } from '../../apps/tax-authority-sim/src/control/admin-token.guard';
import { AppModule as TaxBridgeApp } from '../../apps/tax-bridge/src/app.module';

export const SERVICES = [
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
export const PUBLIC = 'public';
/** … and of every route of a service without authentication. */
export const NO_AUTH = 'no authentication (service without auth)';
/** … and of the simulator's control routes (faults, calendar, the buyer's answers). */
export const SIM_ADMIN = 'simulator admin token (`SIM_ADMIN_TOKEN`)';
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

export interface Route {
  service: string;
  id: string;
  method: string;
  path: string;
  /** The scope decision, as the README's table writes it. */
  scopes: string;
  queryPipes: ZodValidationPipe<never>[];
}

/** The fields of a query pipe's object schema (none for other schemas). */
export const shapeOf = (pipe: ZodValidationPipe<never>): Record<string, ZodType> =>
  (pipe.schema as unknown as { shape?: Record<string, ZodType> }).shape ?? {};

export function routesOf(service: string, appModule: unknown): Route[] {
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
        if (!auth)
          scopes = targets.some((target) => Reflect.getMetadata(SIM_CONTROL, target)) ? SIM_ADMIN : NO_AUTH;
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

/** Every route of every service. */
export const allRoutes = (): Route[] => SERVICES.flatMap(({ name, app }) => routesOf(name, app));
