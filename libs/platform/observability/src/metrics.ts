import {
  CallHandler,
  ExecutionContext,
  Global,
  Inject,
  Injectable,
  Module,
  NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';
import type { Observable } from 'rxjs';
import { SERVICE_IDENTITY, type ServiceIdentity } from '@fapiao/platform/config';

/**
 * RED metrics for every HTTP endpoint; `route` is the route template, never the raw path (cardinality).
 * The `service` label comes from the registry's default labels.
 */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status code',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

@Injectable()
class HttpMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const stop = httpRequestDuration.startTimer({ method: request.method });
    // On 'finish', after exception filters have set the real status code.
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ route, status_code: String(response.statusCode) });
    });
    return next.handle();
  }
}

/** Metrics are served on their own port (metrics-server.ts, started by runService), not by the app. */
@Global()
@Module({
  providers: [{ provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor }],
})
export class MetricsModule implements OnModuleInit {
  constructor(@Inject(SERVICE_IDENTITY) private readonly service: ServiceIdentity) {}

  onModuleInit(): void {
    register.setDefaultLabels({ service: this.service.name });
    // One registry per process: a second app in the same process (tests) must not register twice.
    if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
  }
}
