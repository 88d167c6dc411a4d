import { defineConfig } from 'drizzle-kit';

// Used only to generate SQL migrations (`npx drizzle-kit generate`); Parley applies them itself (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
