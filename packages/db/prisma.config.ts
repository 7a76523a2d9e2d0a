import { defineConfig } from 'prisma/config';

// Read the variable directly: env('DATABASE_URL') throws when unset, which would break
// `prisma generate` in builds that have no database.
export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
