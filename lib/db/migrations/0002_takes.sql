ALTER TABLE "cells" ADD COLUMN "take" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cells" ADD COLUMN "previous" jsonb;