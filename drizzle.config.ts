import { defineConfig } from 'drizzle-kit'

// `npm run db:generate` writes a new migration here and re-embeds them (scripts/embed-migrations.mjs).
export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/core/db/schema.ts',
  out: './electron/core/db/migrations',
})
