CREATE TABLE "batch_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "batch_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"input" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"estimated_cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"actual_cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"removed_cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"budget_usd" numeric(14, 6),
	"cancel_reason" text,
	"notices" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "batches_status_ck" CHECK ("batches"."status" in ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "cells" (
	"id" text PRIMARY KEY NOT NULL,
	"batch_id" text NOT NULL,
	"prompt_index" integer NOT NULL,
	"prompt" text NOT NULL,
	"model" text NOT NULL,
	"style" text NOT NULL,
	"template" text NOT NULL,
	"font" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"error_kind" text,
	"request_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempt_log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"raw_key" text,
	"final_key" text,
	"width" integer,
	"height" integer,
	"bytes" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"duration_ms" integer,
	"cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	CONSTRAINT "cells_status_ck" CHECK ("cells"."status" in ('queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "batch_events" ADD CONSTRAINT "batch_events_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cells" ADD CONSTRAINT "cells_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "batch_events_batch_idx" ON "batch_events" USING btree ("batch_id","id");--> statement-breakpoint
CREATE INDEX "batches_created_idx" ON "batches" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "cells_batch_prompt_model_uq" ON "cells" USING btree ("batch_id","prompt_index","model");--> statement-breakpoint
CREATE INDEX "cells_gallery_idx" ON "cells" USING btree ("finished_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "cells"."status" = 'succeeded';--> statement-breakpoint
CREATE INDEX "cells_gallery_model_idx" ON "cells" USING btree ("model","finished_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "cells"."status" = 'succeeded';--> statement-breakpoint
CREATE INDEX "cells_gallery_style_idx" ON "cells" USING btree ("style","finished_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "cells"."status" = 'succeeded';--> statement-breakpoint
CREATE INDEX "cells_gallery_template_idx" ON "cells" USING btree ("template","finished_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "cells"."status" = 'succeeded';