import { createDb } from "@/lib/db";
import { repositorySuite } from "./repo-suite";

repositorySuite("PGlite", async () => ({
  open: () => createDb({ dir: "memory" }),
  emptyDatabase: async () => ({ dir: "memory" }),
  concurrent: false,
  close: async () => undefined,
}));
