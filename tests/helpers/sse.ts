import type { LiveMessage } from "@/lib/batches/live";

/** A batch event stream's messages, until it sends "end" or `ms` pass; the stream is cancelled after. */
export async function readMessages(stream: ReadableStream<Uint8Array>, ms = 10_000): Promise<LiveMessage[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const messages: LiveMessage[] = [];
  let text = "";
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const next = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now())),
    ]);
    if (!next || next.done) break;
    text += decoder.decode(next.value, { stream: true });
    const frames = text.split("\n\n");
    text = frames.pop() ?? "";
    for (const frame of frames) {
      const data = frame.split("\n").find((line) => line.startsWith("data: "));
      if (data) messages.push(JSON.parse(data.slice(6)) as LiveMessage);
    }
    if (messages.at(-1)?.kind === "end") break;
  }
  await reader.cancel();
  return messages;
}
