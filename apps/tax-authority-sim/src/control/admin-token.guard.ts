import { createHash, timingSafeEqual } from 'node:crypto';
import {
  applyDecorators,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '@fapiao/platform/http';
import { SimErrors } from '../domain/sim.errors';
import { SIM_CONFIG, type SimConfig } from '../sim.config';

/** Metadata of a control route: what the route-scope walk reports as needing the admin token. */
export const SIM_CONTROL = 'fapiao:sim-control';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The control API (faults, maintenance calendar, the buyer's answers) drives the simulated authority, so
 * it takes `Authorization: Bearer <SIM_ADMIN_TOKEN>`: compared in constant time (digests of equal length,
 * so neither content nor length leaks), 401 SIM.ADMIN_TOKEN_REQUIRED otherwise. Without a token the
 * simulator only boots bound to loopback (sim.config.ts), and then the control API is this machine's.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(SIM_CONFIG) config: SimConfig) {
    this.expected = config.adminToken ? digest(config.adminToken.reveal()) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === null) return true;
    const header = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
      'authorization'
    ];
    const presented = typeof header === 'string' ? /^Bearer (\S+)$/i.exec(header)?.[1] : undefined;
    if (presented === undefined || !timingSafeEqual(digest(presented), this.expected))
      throw SimErrors.adminTokenRequired();
    return true;
  }
}

/** A route of the simulator's control API: admin token required. */
export const SimControl = () =>
  applyDecorators(
    SetMetadata(SIM_CONTROL, true),
    UseGuards(AdminTokenGuard),
    ApiBearerAuth(),
    ApiErrors(SimErrors.adminTokenRequired()),
  );
