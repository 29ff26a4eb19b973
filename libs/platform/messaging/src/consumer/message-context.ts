import { BaseRpcContext } from '@nestjs/microservices';
import type { Envelope } from '@fapiao/contracts';

interface MessageContextArgs {
  envelope: Envelope;
  topic: string;
  partition: number;
  offset: string;
  /** 1 on first delivery; counts local retries and retry-topic rounds. */
  attempt: number;
}

/** The second argument of every `@EventPattern` handler. */
export class MessageContext extends BaseRpcContext<[MessageContextArgs]> {
  get envelope(): Envelope {
    return this.args[0].envelope;
  }
  get topic(): string {
    return this.args[0].topic;
  }
  get attempt(): number {
    return this.args[0].attempt;
  }
  get partition(): number {
    return this.args[0].partition;
  }
  get offset(): string {
    return this.args[0].offset;
  }
}
