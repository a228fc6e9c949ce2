-- A specialization application gets a review deadline when it is submitted: 00:00 Moscow
-- after the SPECIALIZATION_SLA_BUSINESS_DAYS-th business day (default 5) following the Moscow
-- day of submission. The API computes it on the production calendar; decided applications
-- keep none.
ALTER TABLE "specialization_applications" ADD COLUMN "review_deadline" TIMESTAMPTZ(3);

-- Open applications filed before this column get the default window from their submission.
-- SQL has no production calendar, so this walks Monday to Friday; applications exist since
-- late November 2026, and no public holiday falls within five business days of then.
UPDATE "specialization_applications" AS a
SET "review_deadline" = (
    SELECT (("day" + 1)::timestamp - INTERVAL '3 hours') AT TIME ZONE 'UTC'
    FROM (
        SELECT g::date AS "day", row_number() OVER (ORDER BY g) AS "n"
        FROM generate_series(
            ((a."submitted_at" AT TIME ZONE 'UTC') + INTERVAL '3 hours')::date + 1,
            ((a."submitted_at" AT TIME ZONE 'UTC') + INTERVAL '3 hours')::date + 14,
            INTERVAL '1 day'
        ) AS g
        WHERE extract(isodow FROM g) < 6
    ) AS weekdays
    WHERE "n" = 5
)
WHERE a."status" = 'open';

CREATE INDEX "specialization_applications_status_review_deadline_idx"
    ON "specialization_applications"("status", "review_deadline");
