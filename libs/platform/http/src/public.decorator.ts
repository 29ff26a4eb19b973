import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'fapiao:public';
/** Marks a controller or handler as reachable without a token: health, metrics, docs, the token endpoint. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
