import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { z } from 'zod';

/** RFC 6749 §4.4 client credentials request (form-encoded). */
export const IssueTokenRequestSchema = z.object({
  grant_type: z.string({ error: 'grant_type is required' }),
  client_id: z.string().min(1).optional(),
  client_secret: z.string().min(1).optional(),
  scope: z.string().optional(),
});
export type IssueTokenRequest = z.infer<typeof IssueTokenRequestSchema>;

export class IssueTokenForm {
  @ApiProperty({ example: 'client_credentials' }) grant_type: string;
  @ApiPropertyOptional({ description: 'or HTTP Basic authentication' }) client_id?: string;
  @ApiPropertyOptional({ description: 'or HTTP Basic authentication' }) client_secret?: string;
  @ApiPropertyOptional({ example: 'orders:write invoices:read' }) scope?: string;
}

export class TokenResponse {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: 900 }) expires_in: number;
  @ApiProperty({ example: 'orders:write invoices:read' }) scope: string;
}
