import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AuthorityErrorCodes } from '@fapiao/contracts';
import { InjectedFault } from './injected-fault';
import { resetConnection } from './reset-connection';

const ERROR_BODIES: Record<number, { code: string; message: string }> = {
  500: { code: AuthorityErrorCodes.internalError, message: 'Internal error (injected)' },
  502: { code: AuthorityErrorCodes.badGateway, message: 'Bad gateway (injected)' },
  503: { code: AuthorityErrorCodes.unavailable, message: 'Service unavailable (injected)' },
};

@Catch(InjectedFault)
export class InjectedFaultFilter implements ExceptionFilter {
  catch(fault: InjectedFault, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    switch (fault.effect.kind) {
      case 'reset':
        return resetConnection(response);
      case 'hang':
        // Never answered: the connection stays open until the client gives up.
        return;
      case 'error':
        response.status(fault.effect.status).json(ERROR_BODIES[fault.effect.status]);
    }
  }
}
