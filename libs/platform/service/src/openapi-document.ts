import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AuthErrors, AuthModule } from '@fapiao/platform/auth';
import { ERROR_BODY_SCHEMA } from '@fapiao/platform/http';
import { PlatformModule } from './platform.module';

/** What /docs says about a service besides its routes. */
export interface ApiInfo {
  title: string;
  description: string;
}

/** Whether the app module's platform installs the global token guard (every service but the simulator). */
export function usesAuth(appModule: unknown): boolean {
  const imports = (Reflect.getMetadata('imports', appModule as object) ?? []) as DynamicModule[];
  return imports.some((item) => item?.module === PlatformModule && item.imports?.includes(AuthModule));
}

const errorResponse = (description: string, ...errors: { code: string; message: string }[]) => ({
  description,
  content: {
    'application/json': {
      schema: ERROR_BODY_SCHEMA,
      examples: Object.fromEntries(errors.map(({ code, message }) => [code, { value: { code, message } }])),
    },
  },
});

/**
 * The OpenAPI document of an app: routes and schemas from the controllers' decorators (zod schemas via
 * @fapiao/platform/http), plus what the global guard answers on every route that is not @Public().
 */
export function buildOpenApiDocument(
  app: INestApplication,
  appModule: unknown,
  info: ApiInfo & { port: number },
): OpenAPIObject {
  const auth = usesAuth(appModule);
  const builder = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion('1')
    // Relative: the document is served by the service it describes, wherever that runs.
    .addServer('/', `This service (port ${info.port} under npm start)`);
  if (auth) builder.addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer');
  if (auth) builder.addSecurityRequirements('bearer');
  // package.json's licence: proprietary, so there is no licence text to link to.
  const config = builder.build();
  config.info.license = { name: 'UNLICENSED' };
  config.info.contact = { name: 'fapiao platform team' };
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      if (typeof operation !== 'object' || !('responses' in operation)) continue;
      // Without the guard every route is open, like a @Public() one.
      if (!auth) operation.security = [];
      if (operation.security?.length === 0) continue;
      operation.responses['401'] ??= errorResponse(
        'No valid bearer token: AUTH.MISSING_TOKEN, AUTH.INVALID_TOKEN, AUTH.TOKEN_EXPIRED, AUTH.UNKNOWN_KEY, AUTH.INVALID_CLAIMS',
        AuthErrors.missingToken(),
        AuthErrors.expiredToken(),
      );
      operation.responses['403'] ??= errorResponse(
        'AUTH.INSUFFICIENT_SCOPE: the token lacks a scope the route requires',
        AuthErrors.insufficientScope(['orders:write']),
      );
    }
  }
  return document;
}

/**
 * The document of an app module without starting it: Nest's preview mode builds the module graph but
 * instantiates nothing, so no database, Kafka or configuration is needed.
 */
export async function previewOpenApiDocument(
  appModule: unknown,
  info: ApiInfo & { port: number },
): Promise<OpenAPIObject> {
  const app = await NestFactory.create(appModule as never, {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app, appModule, info);
  } finally {
    await app.close();
  }
}
