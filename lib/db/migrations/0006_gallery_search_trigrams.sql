-- Gallery search (title ILIKE '%text%') through a trigram index, where the server has pg_trgm and this
-- role may create it: PGlite loads it (lib/db/client.ts), Debian's and the usual hosted servers ship it.
-- Without it, search still works and reads every finished cell's title.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): gallery search reads every title', SQLERRM;
END $$;--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX IF NOT EXISTS "cells_prompt_trgm_idx" ON "cells" USING gin ("prompt" gin_trgm_ops)
      WHERE "status" = 'succeeded';
  END IF;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'no trigram index for gallery search (%): it reads every title', SQLERRM;
END $$;
