import { applyDecorators, SetMetadata } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';

export const IS_PUBLIC = 'fapiao:public';
/**
 * Marks a controller as reachable without a token: health, metrics, docs, the token endpoint. Its
 * operations are documented with `security: []` (swagger keeps an empty list on controllers only).
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(DECORATORS.API_SECURITY, []));
