import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate, validate, format). Migrations are applied by the
// project's own step, `npm run db:migrate`, which records them as `prisma migrate deploy` does.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/partner_platform' },
});
