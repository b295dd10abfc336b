DROP INDEX "cells_alternate_raw_key_idx";--> statement-breakpoint
ALTER TABLE "cells" ADD COLUMN "others" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
UPDATE "cells" SET "others" = jsonb_build_array("alternate") WHERE "alternate" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "cells_other_raw_keys_idx" ON "cells" USING gin (jsonb_path_query_array("others", '$[*].rawKey')) WHERE "cells"."others" <> '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "cells" DROP COLUMN "alternate";
