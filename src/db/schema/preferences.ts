import { pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { customers } from './customers.ts';

export const customerPreferences = pgTable(
  'customer_preferences',
  {
    id: id(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('customer_preferences_customer_key').on(t.customerId, t.key)],
).enableRLS();

export type CustomerPreference = typeof customerPreferences.$inferSelect;
