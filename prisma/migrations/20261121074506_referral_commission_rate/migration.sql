-- Reference data: the referral commission rate (SPEC §3), as a program term with its
-- effective date. A migration of its own, because a new enum value cannot be used in the
-- transaction that adds it.
INSERT INTO "program_terms" ("kind", "effective_from", "rate") VALUES
  ('referral_commission_rate', '2019-01-01', 0.100000);
