import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { asyncApiDocument } from '@fapiao/contracts';
import { Public } from '@fapiao/platform/http';

/**
 * The AsyncAPI 3 document of every Kafka topic and message (generated from @fapiao/contracts, the same as
 * docs/asyncapi.json), beside the OpenAPI document and as open as it: for the internal systems that
 * produce invoice requests, in any language.
 */
@ApiExcludeController()
@Public()
@Controller('docs')
export class GetAsyncApiController {
  private readonly document = asyncApiDocument();

  @Get('asyncapi.json')
  @Header('Cache-Control', 'no-cache')
  get(): object {
    return this.document;
  }
}
