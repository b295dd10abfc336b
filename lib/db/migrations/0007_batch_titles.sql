CREATE TABLE "batch_titles" (
	"batch_id" text NOT NULL,
	"prompt_index" integer NOT NULL,
	"title" text NOT NULL,
	CONSTRAINT "batch_titles_pk" PRIMARY KEY("batch_id","prompt_index")
);
--> statement-breakpoint
ALTER TABLE "batch_titles" ADD CONSTRAINT "batch_titles_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The titles of the batches made before this table.
INSERT INTO "batch_titles" ("batch_id", "prompt_index", "title")
  SELECT b."id", t.ord - 1, t.title
  FROM "batches" b,
    jsonb_array_elements_text(CASE WHEN jsonb_typeof(b."input" -> 'prompts') = 'array'
      THEN b."input" -> 'prompts' ELSE '[]'::jsonb END) WITH ORDINALITY AS t(title, ord)
  WHERE t.title IS NOT NULL;--> statement-breakpoint
-- Batch-list search (any title ILIKE '%text%') through a trigram index, where migration 0006 could create
-- pg_trgm. Without it, search reads every batch's titles, newest batch first.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX IF NOT EXISTS "batch_titles_trgm_idx" ON "batch_titles" USING gin ("title" gin_trgm_ops);
  END IF;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'no trigram index for batch search (%): it reads every title', SQLERRM;
END $$;
