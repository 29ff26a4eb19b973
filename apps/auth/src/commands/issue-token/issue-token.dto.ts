import { z } from 'zod';

/** RFC 6749 §4.4 client credentials request (form-encoded). */
export const IssueTokenRequestSchema = z.object({
  grant_type: z.string({ error: 'grant_type is required' }).meta({ example: 'client_credentials' }),
  client_id: z.string().min(1).max(256).optional().describe('or HTTP Basic authentication'),
  client_secret: z.string().min(1).max(256).optional().describe('or HTTP Basic authentication'),
  scope: z.string().optional().meta({ example: 'orders:write invoices:read' }),
});
export type IssueTokenRequest = z.infer<typeof IssueTokenRequestSchema>;

export const TokenViewSchema = z.object({
  access_token: z.string().describe('RS256 JWT'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().meta({ example: 900 }),
  scope: z.string().meta({ example: 'orders:write invoices:read' }),
});
export type TokenResponse = z.infer<typeof TokenViewSchema>;
