import { z } from '@hono/zod-openapi';

/** Days of the week as business hours name them, Monday first. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const clock = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a time as HH:MM (00:00 to 24:00)');

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** One opening of a day, local time: `['08:00', '20:00']`; an evening past midnight is two spans on two days. */
export const OpeningSpan = z
  .tuple([clock, clock])
  .refine(([open, close]) => open < close, { message: 'a span must close after it opens' });

/**
 * When people answer: opening spans per weekday in the company's time zone (a day left out is closed) and
 * holidays (`YYYY-MM-DD`, local dates) on which nobody does.
 */
export const BusinessHours = z
  .object({
    timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as America/New_York'),
    days: z.partialRecord(z.enum(weekdays), z.array(OpeningSpan).max(6)),
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'))
      .max(500)
      .optional(),
  })
  .openapi('BusinessHours');
export type BusinessHours = z.infer<typeof BusinessHours>;

/** The company profile and tone the agent's instructions are built from. */
export const CompanyProfile = z
  .object({
    name: z.string().min(1).max(200),
    tagline: z.string().max(500).optional(),
    tone: z.string().max(2000).optional(),
    supportHours: z.string().max(500).optional(),
    supportEmail: z.string().max(200).optional(),
    humanHandoff: z.string().max(2000).optional(),
    /** Structured support hours: hand-offs outside them tell the customer when people are back. */
    businessHours: BusinessHours.optional(),
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
