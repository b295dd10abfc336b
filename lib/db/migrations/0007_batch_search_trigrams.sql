-- Batch-list search (any title ILIKE '%text%') through the trigram index of migration 0006, which covered
-- finished cells only: it now covers every cell, so the batches holding a title are found through their
-- cells. Gallery search, for finished cells, still uses it. Without pg_trgm nothing changes here.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    DROP INDEX IF EXISTS "cells_prompt_trgm_idx";
    CREATE INDEX "cells_prompt_trgm_idx" ON "cells" USING gin ("prompt" gin_trgm_ops);
  END IF;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'no trigram index for batch search (%): it reads every batch', SQLERRM;
END $$;
