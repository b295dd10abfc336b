import { Inngest } from "inngest";

/**
 * The one Inngest client. Which server it talks to comes from the environment, so the same functions run
 * on the local engine (INNGEST_DEV=http://127.0.0.1:8288), the official dev server, or Inngest Cloud
 * (INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY, INNGEST_DEV unset).
 */
export const inngest = new Inngest({ id: "thumbnail-studio" });
