import { ensureBuild } from "../../scripts/lib/processes";

export default async function setup(): Promise<void> {
  await ensureBuild("inherit");
}
