import { z } from '@hono/zod-openapi';

/** The company profile and tone the agent's instructions are built from. */
export const CompanyProfile = z
  .object({
    name: z.string().min(1).max(200),
    tagline: z.string().max(500).optional(),
    tone: z.string().max(2000).optional(),
    supportHours: z.string().max(500).optional(),
    supportEmail: z.string().max(200).optional(),
    humanHandoff: z.string().max(2000).optional(),
  })
  // Profiles may carry more (links, regions, website, phone): kept as they are.
  .catchall(z.unknown())
  .openapi('CompanyProfile');
export type CompanyProfile = z.infer<typeof CompanyProfile>;

/** How this server runs: shown to staff, not editable. */
export const RuntimeSettings = z.object({
  model: z.string(),
  offline: z.boolean(),
  embedder: z.string(),
  embeddingSpace: z.object({ model: z.string(), dimensions: z.number() }).nullable(),
  database: z.string(),
  version: z.string(),
  widgetOrigins: z.array(z.string()),
  identityVerification: z.boolean(),
});
export type RuntimeSettings = z.infer<typeof RuntimeSettings>;

export const Settings = z.object({ company: CompanyProfile, runtime: RuntimeSettings }).openapi('Settings');
export type Settings = z.infer<typeof Settings>;
