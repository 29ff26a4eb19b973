import { Injectable } from '@nestjs/common';

/** Process-wide serving state: once draining, readiness fails so load balancers stop sending traffic. */
@Injectable()
export class LifecycleService {
  private drainingSince?: Date;

  startDraining(): void {
    this.drainingSince ??= new Date();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }
}
