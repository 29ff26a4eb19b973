import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  AuthorityErrorCodes,
  AuthorityRedLetterFormSchema,
  InvoiceNumber,
  type AuthorityRedLetterForm,
} from '@fapiao/contracts';
import { ApiErrors, ApiOkFrom, ApiQueryFrom, requestInvalid, ZodValidationPipe } from '@fapiao/platform/http';
import { Clock } from '../../domain/clock';
import { settleExpiry, type RedLetterForm } from '../../domain/red-letter';
import { SimErrors } from '../../domain/sim.errors';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { SimRepository } from '../../infrastructure/sim.repository';
import { toFormView } from '../views';

const ByBlueQuerySchema = z.object({ blueNumber: InvoiceNumber });

/** Reads void a raised form past its 72 hours on the fly; the next write records it. */
@ApiTags('authority: red-letter forms')
@AuthorityEndpoint()
@Controller('v1/red-letter-forms')
export class GetRedLetterFormController {
  constructor(
    private readonly repository: SimRepository,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The forms raised against a blue invoice, oldest first' })
  @ApiQueryFrom(ByBlueQuerySchema)
  @ApiOkFrom(z.array(AuthorityRedLetterFormSchema))
  @ApiErrors(requestInvalid(AuthorityErrorCodes.requestInvalid))
  async byBlue(
    @Query(new ZodValidationPipe(ByBlueQuerySchema, AuthorityErrorCodes.requestInvalid))
    query: z.infer<typeof ByBlueQuerySchema>,
  ): Promise<AuthorityRedLetterForm[]> {
    return (await this.repository.formsForBlue(query.blueNumber)).map((form) => this.view(form));
  }

  @Get('by-serial/:serial')
  @ApiOperation({ summary: 'The form raised for a serial (resolves an unknown outcome of a raise)' })
  @ApiOkFrom(AuthorityRedLetterFormSchema)
  @ApiErrors(SimErrors.formNotFound('for serial {serial}'))
  async bySerial(@Param('serial') serial: string): Promise<AuthorityRedLetterForm> {
    const form = await this.repository.formBySerial(serial);
    if (!form) throw SimErrors.formNotFound(`for serial ${serial}`);
    return this.view(form);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A form by id' })
  @ApiOkFrom(AuthorityRedLetterFormSchema)
  @ApiErrors(SimErrors.formNotFound('{id}'))
  async byId(@Param('id') id: string): Promise<AuthorityRedLetterForm> {
    const form = await this.repository.formById(id);
    if (!form) throw SimErrors.formNotFound(id);
    return this.view(form);
  }

  private view(form: RedLetterForm): AuthorityRedLetterForm {
    return toFormView(settleExpiry(form, this.clock.now()));
  }
}
