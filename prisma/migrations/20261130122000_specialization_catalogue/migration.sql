-- Specializations as a catalogue partners apply to. A code may have several versions with
-- consecutive effective dates; a grant copies the rate and services of the version valid on
-- the grant date into "specializations", which the quarter-end close already reads.

CREATE TYPE "SpecializationApplicationStatus" AS ENUM ('open', 'granted', 'refused');

CREATE TABLE "specialization_catalogue" (
    "id" BIGSERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name_ru" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "service_ids" TEXT[],
    "rate" DECIMAL(9,6) NOT NULL,
    "requirements" TEXT NOT NULL,
    "min_certified_engineers" INTEGER NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,

    CONSTRAINT "specialization_catalogue_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "specialization_catalogue_code_valid_from_key"
    ON "specialization_catalogue"("code", "valid_from");

-- "open_key" is "<partner>:<code>" while the application is open and NULL once decided, so
-- its unique index admits one open application per partner and code (NULLs never collide).
CREATE TABLE "specialization_applications" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "certified_engineers" INTEGER NOT NULL,
    "status" "SpecializationApplicationStatus" NOT NULL DEFAULT 'open',
    "open_key" TEXT,
    "submitted_by" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "specialization_id" BIGINT,

    CONSTRAINT "specialization_applications_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "specialization_applications_open_key_key"
    ON "specialization_applications"("open_key");
CREATE INDEX "specialization_applications_partner_id_submitted_at_idx"
    ON "specialization_applications"("partner_id", "submitted_at");
CREATE INDEX "specialization_applications_status_submitted_at_idx"
    ON "specialization_applications"("status", "submitted_at");

-- The catalogue as the program starts it, from the services of the service catalogue.
INSERT INTO "specialization_catalogue"
    ("code", "name_ru", "name_en", "service_ids", "rate", "requirements", "min_certified_engineers", "valid_from", "valid_to")
VALUES
  ('data-platform', 'Платформа данных', 'Data platform',
   ARRAY['managed-postgresql', 'object-storage'], 0.050000,
   'Two or more engineers certified on managed databases; at least one customer project running Managed Service for PostgreSQL in production.',
   2, '2025-01-01', NULL),
  ('infrastructure', 'Инфраструктура', 'Infrastructure',
   ARRAY['compute', 'object-storage'], 0.030000,
   'Two or more engineers certified on cloud infrastructure; at least one completed migration of a customer workload to Compute Cloud.',
   2, '2025-01-01', NULL),
  ('containers', 'Контейнерные платформы', 'Container platforms',
   ARRAY['managed-kubernetes', 'compute'], 0.040000,
   'Three or more engineers certified on Kubernetes; at least one customer cluster on Managed Service for Kubernetes operated by the partner.',
   3, '2025-01-01', NULL);
