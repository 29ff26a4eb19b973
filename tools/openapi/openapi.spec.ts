// Every service's /docs document, built from its app module without a database or Kafka: `redocly lint`
// (recommended rules) reports no error, and each operation documents exactly the statuses its route can
// answer — read from the route's own metadata (@HttpCode, guard, pipes, the errors given to @ApiErrors).
import { ParseUUIDPipe, RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  MODULE_METADATA,
  RESPONSE_PASSTHROUGH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { DECORATORS, type OpenAPIObject, type OperationObject, type ResponseObject } from '@nestjs/swagger';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REQUIRED_SCOPES } from '@fapiao/platform/auth';
import {
  API_ERRORS,
  ERROR_BODY_SCHEMA,
  IS_PUBLIC,
  openApiSchema,
  REQUEST_MALFORMED,
  ZodValidationPipe,
  type DocumentedErrors,
} from '@fapiao/platform/http';
import { previewOpenApiDocument, usesAuth } from '@fapiao/platform/service';
import { AppModule as AuthApp } from '../../apps/auth/src/app.module';
import { AUTH_API, AUTH_SERVICE } from '../../apps/auth/src/service';
import { AppModule as InvoiceApp } from '../../apps/invoice/src/app.module';
import { INVOICE_API, INVOICE_SERVICE } from '../../apps/invoice/src/service';
import { AppModule as OrderApp } from '../../apps/order/src/app.module';
import { ORDER_API, ORDER_SERVICE } from '../../apps/order/src/service';
import { AppModule as ReconciliationApp } from '../../apps/reconciliation/src/app.module';
import { RECONCILIATION_API, RECONCILIATION_SERVICE } from '../../apps/reconciliation/src/service';
import { AppModule as SimApp } from '../../apps/tax-authority-sim/src/app.module';
import { SIM_API, SIM_SERVICE } from '../../apps/tax-authority-sim/src/service';
import { AppModule as TaxBridgeApp } from '../../apps/tax-bridge/src/app.module';
import { TAX_BRIDGE_API, TAX_BRIDGE_SERVICE } from '../../apps/tax-bridge/src/service';

jest.setTimeout(60_000);

const SERVICES = [
  { name: 'auth', app: AuthApp, api: AUTH_API, port: AUTH_SERVICE.defaultPort },
  { name: 'order', app: OrderApp, api: ORDER_API, port: ORDER_SERVICE.defaultPort },
  { name: 'invoice', app: InvoiceApp, api: INVOICE_API, port: INVOICE_SERVICE.defaultPort },
  { name: 'tax-bridge', app: TaxBridgeApp, api: TAX_BRIDGE_API, port: TAX_BRIDGE_SERVICE.defaultPort },
  {
    name: 'reconciliation',
    app: ReconciliationApp,
    api: RECONCILIATION_API,
    port: RECONCILIATION_SERVICE.defaultPort,
  },
  { name: 'tax-authority-sim', app: SimApp, api: SIM_API, port: SIM_SERVICE.defaultPort },
];

/** Handlers that write their status themselves (@Res), and what they write. */
const SELF_ANSWERED: Record<string, number[]> = {
  'IssueInvoiceController.issue': [200, 201],
  'RaiseRedLetterFormController.raise': [200, 201],
};

/** Route exception filters that answer a status as another (OAuth 2.0 wants 400, not 422). */
const FILTER_REMAPS: Record<string, Record<number, number>> = { OAuthErrorFilter: { 422: 400 } };

const ROUTE_PARAM = { body: 3, query: 4, param: 5 };
const METHODS: Record<number, string> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

/** Every controller of a module tree, dynamic modules included. */
function controllersOf(module: unknown, seen = new Set<unknown>()): Type[] {
  if (!module || seen.has(module)) return [];
  seen.add(module);
  const dynamic = (module as DynamicModule).module ? (module as DynamicModule) : undefined;
  const type = dynamic?.module ?? module;
  const metadata = (key: string) => (Reflect.getMetadata(key, type as object) ?? []) as unknown[];
  const controllers = [...(dynamic?.controllers ?? []), ...metadata(MODULE_METADATA.CONTROLLERS)] as Type[];
  const imports = [...(dynamic?.imports ?? []), ...metadata(MODULE_METADATA.IMPORTS)];
  return [...controllers, ...imports.flatMap((item) => controllersOf(item, seen))];
}

interface Route {
  id: string;
  controller: Type;
  handler: (...args: unknown[]) => unknown;
  key: string;
  method: string;
}

function routesOf(appModule: unknown): Route[] {
  return controllersOf(appModule)
    .filter((controller) => !Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, controller)?.[0])
    .flatMap((controller) =>
      Object.getOwnPropertyNames(controller.prototype)
        .map((key) => ({ key, handler: controller.prototype[key] as Route['handler'] }))
        .filter(({ key, handler }) => key !== 'constructor' && Reflect.hasMetadata(METHOD_METADATA, handler))
        .map(({ key, handler }) => ({
          id: `${controller.name}.${key}`,
          controller,
          handler,
          key,
          method: METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number],
        })),
    );
}

interface RouteArgument {
  index: number;
  pipes?: unknown[];
}

/** What a route can answer besides 5xx, derived from its code, and the validation pipes it runs. */
function answerable(route: Route, auth: boolean) {
  const { controller, handler, key } = route;
  const statuses = new Set<number>();
  const passthrough = Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, key) as boolean;
  const args = Object.entries(
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<string, RouteArgument>,
  ).map(([type, argument]) => ({ type: Number(type.split(':')[0]), pipes: argument.pipes ?? [] }));
  const writesOwnStatus = args.some(({ type }) => type === 1) && !passthrough;
  if (writesOwnStatus) {
    expect({ route: route.id, listed: route.id in SELF_ANSWERED }).toEqual({ route: route.id, listed: true });
    SELF_ANSWERED[route.id].forEach((status) => statuses.add(status));
  } else {
    statuses.add(
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
        (route.method === 'post' ? 201 : 200),
    );
  }

  const isPublic = [handler, controller].some((target) => Reflect.getMetadata(IS_PUBLIC, target));
  const scopes = (Reflect.getMetadata(REQUIRED_SCOPES, handler) ??
    Reflect.getMetadata(REQUIRED_SCOPES, controller) ??
    []) as string[];
  if (auth && !isPublic) statuses.add(401);
  if (auth && !isPublic && scopes.length > 0) statuses.add(403);

  const zodPipes = args.flatMap(({ type, pipes }) =>
    pipes.filter((pipe) => pipe instanceof ZodValidationPipe).map((pipe) => ({ type, pipe })),
  ) as { type: number; pipe: ZodValidationPipe<never> }[];
  const malformed =
    args.some(({ type }) => type === ROUTE_PARAM.body) ||
    args.some(({ pipes }) => pipes.some((pipe) => pipe === ParseUUIDPipe || pipe instanceof ParseUUIDPipe));
  if (malformed) statuses.add(400);
  if (zodPipes.length > 0) statuses.add(422);

  const documented = [
    ...((Reflect.getMetadata(API_ERRORS, controller) ?? []) as DocumentedErrors),
    ...((Reflect.getMetadata(API_ERRORS, handler) ?? []) as DocumentedErrors),
  ];
  const platformCodes = new Set([REQUEST_MALFORMED.code, ...zodPipes.map(({ pipe }) => pipe.code)]);
  for (const error of documented) if (!platformCodes.has(error.code)) statuses.add(error.status);

  const filters = (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, controller) ?? []) as Type[];
  for (const filter of filters) {
    for (const [from, to] of Object.entries(FILTER_REMAPS[filter.name] ?? {})) {
      if (statuses.delete(Number(from))) statuses.add(to);
    }
  }
  const below500 = [...statuses].filter((status) => status < 500).sort((a, b) => a - b);
  return { isPublic, statuses: below500, zodPipes, malformed, documented };
}

/** Each service's document, or why it could not be built (one broken module fails its own tests only). */
const documents = new Map<string, OpenAPIObject | Error>();
const documentOf = (name: string): OpenAPIObject => {
  const document = documents.get(name);
  if (document instanceof Error || !document) throw document ?? new Error(`no document for ${name}`);
  return document;
};
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fapiao-openapi-'));
  for (const { name, app, api, port } of SERVICES) {
    const document = await previewOpenApiDocument(app, { ...api, port }).catch((error: Error) => error);
    documents.set(name, document);
    if (!(document instanceof Error)) {
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(document, null, 2));
    }
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OpenAPI documents', () => {
  it('pass `redocly lint` with the recommended rules, without a single error', async () => {
    const root = resolve(__dirname, '../..');
    const cli = join(root, 'node_modules/@redocly/cli/bin/cli.js');
    const errors: string[] = [];
    for (const { name } of SERVICES) {
      if (documents.get(name) instanceof Error) {
        errors.push(`${name}: ${(documents.get(name) as Error).message}`);
        continue;
      }
      // One file per run: with several, the JSON format prints one document per file, back to back.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [cli, 'lint', '--format=json', '--config', join(root, 'redocly.yaml'), join(dir, `${name}.json`)],
        { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
      ).catch((error: { stdout: string }) => error);
      const { problems } = JSON.parse(stdout) as {
        problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
      };
      for (const problem of problems.filter(({ severity }) => severity === 'error')) {
        errors.push(`${name}: ${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`);
      }
    }
    expect(errors).toEqual([]);
  });

  describe.each(SERVICES.map(({ name, app }) => [name, app] as const))('%s', (name, app) => {
    const auth = usesAuth(app);
    const routes = routesOf(app);

    it.each(routes.map((route) => [route.id, route] as const))(
      '%s documents exactly what it can answer',
      (_id, route) => {
        const document = documentOf(name);
        const operationId = `${route.controller.name.replace(/Controller$/, '')}_${route.key}`;
        const operation = Object.values(document.paths)
          .flatMap((item) => Object.values(item) as OperationObject[])
          .find((candidate) => candidate?.operationId === operationId);
        if (!operation) throw new Error(`${operationId} is not in the ${name} document`);
        const { isPublic, statuses, zodPipes, malformed, documented } = answerable(route, auth);

        const listed = Object.keys(operation.responses)
          .map(Number)
          .filter((status) => status < 500)
          .sort((a, b) => a - b);
        expect({ route: route.id, statuses: listed }).toEqual({ route: route.id, statuses });
        expect(operation.summary).toBeTruthy();
        if (auth) expect(operation.security).toEqual(isPublic ? [] : undefined);

        for (const status of listed.filter((status) => status >= 400)) {
          const response = operation.responses[status] as ResponseObject;
          expect(response.content?.['application/json']?.schema).toEqual(ERROR_BODY_SCHEMA);
        }
        // The 400 and 422 are documented with the codes the framework and the pipes answer.
        const codes = documented.map(({ code }) => code);
        expect(codes.includes(REQUEST_MALFORMED.code)).toBe(malformed);
        for (const { pipe } of zodPipes) expect(codes).toContain(pipe.code);

        // Bodies and queries are documented from the very schemas the pipes validate with.
        for (const { type, pipe } of zodPipes) {
          const json = openApiSchema(pipe.schema, 'input');
          if (type === ROUTE_PARAM.body) {
            const body = operation.requestBody as { content: Record<string, { schema: unknown }> };
            expect(Object.values(body.content)[0].schema).toEqual(json);
          }
          if (type === ROUTE_PARAM.query) {
            const names = (operation.parameters ?? [])
              .filter((parameter) => 'in' in parameter && parameter.in === 'query')
              .map((parameter) => ('name' in parameter ? parameter.name : ''));
            expect(names.sort()).toEqual(Object.keys(json.properties ?? {}).sort());
          }
        }
      },
    );
  });
});
