/**
 * Reads a provider's JSON answer without ever holding its image as a string. OpenAI and Gemini
 * send the picture base64-encoded inside the JSON (1–3 MB of text); parsing that the usual way
 * builds the whole body as one string, then the field as another, then decodes it: two large
 * strings per image that only a full garbage collection frees, which with a hundred calls in
 * flight is most of the web server's peak memory. Here the body is scanned as it streams in: the
 * base64 of the chosen fields is decoded chunk by chunk into bytes, and the JSON handed on keeps
 * only a short token in its place (see InlineImages.take).
 */

/** Where images sit: a key (`b64_json`) or `parent.key` (`inlineData.data`: the key inside that object). */
export type ImageField = string;

const TOKEN_PREFIX = "inline-image:";

export class InlineImages {
  private readonly images: (Buffer | null)[] = [];

  /** Records a decoded image (null when its text was not plain base64); returns its token. */
  add(bytes: Buffer | null): string {
    this.images.push(bytes);
    return `${TOKEN_PREFIX}${this.images.length - 1}`;
  }

  get count(): number {
    return this.images.length;
  }

  /**
   * The bytes a token stands for, once (the entry is released). Undefined for anything that is not
   * one of this reader's tokens; null when the field held something other than base64.
   */
  take(token: unknown): Buffer | null | undefined {
    if (typeof token !== "string" || !token.startsWith(TOKEN_PREFIX)) return undefined;
    const index = Number(token.slice(TOKEN_PREFIX.length));
    if (!Number.isInteger(index) || index < 0 || index >= this.images.length) return undefined;
    const bytes = this.images[index];
    this.images[index] = null;
    return bytes;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const textDecoder = new TextDecoder();

/** Base64 text arriving in pieces, decoded in whole 4-character groups. */
class Base64Sink {
  private carry = "";
  private readonly pieces: Buffer[] = [];
  invalid = false;

  write(text: string): void {
    const all = this.carry + text;
    const whole = all.length & ~3;
    this.carry = all.slice(whole);
    if (whole > 0) this.pieces.push(Buffer.from(all.slice(0, whole), "base64"));
  }

  end(): Buffer | null {
    if (this.carry) this.pieces.push(Buffer.from(this.carry, "base64"));
    return this.invalid ? null : Buffer.concat(this.pieces);
  }
}

/**
 * A JSON tokenizer that only follows what it needs: the nesting of objects and arrays, which
 * string is a key, and each object's key in its parent. Everything outside captured strings is
 * copied to `out` unchanged.
 */
class Scanner {
  private readonly containers: ("{" | "[")[] = [];
  /** The key each open container was the value of (null for array elements and the root). */
  private readonly names: (string | null)[] = [];
  private expectKey = false;
  private lastKey: string | null = null;
  private inString = false;
  private stringIsKey = false;
  private escaped = false;
  private keyBytes: number[] = [];
  private capture: Base64Sink | null = null;
  private readonly out: Uint8Array[] = [];

  constructor(
    private readonly fields: ReadonlySet<string>,
    private readonly images: InlineImages,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    let copyFrom = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.capture) {
        const end = this.captureRun(chunk, i);
        i = end;
        copyFrom = i;
        continue;
      }
      if (this.inString) {
        i = this.stringRun(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      i++;
      if (c === QUOTE) {
        this.openString();
        if (this.capture) {
          // The token is written with both its quotes when the string ends.
          this.out.push(chunk.subarray(copyFrom, i - 1));
          copyFrom = i;
        }
      } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        const top = this.containers.at(-1);
        this.names.push(top === "{" ? this.lastKey : null);
        this.containers.push(c === 0x7b ? "{" : "[");
        this.expectKey = c === 0x7b;
      } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        this.containers.pop();
        this.names.pop();
        this.expectKey = false;
      } else if (c === 0x2c /* , */) {
        this.expectKey = this.containers.at(-1) === "{";
      } else if (c === 0x3a /* : */) {
        this.expectKey = false;
      }
    }
    if (copyFrom < n && !this.capture) this.out.push(chunk.subarray(copyFrom, n));
  }

  private openString(): void {
    this.inString = true;
    this.escaped = false;
    this.stringIsKey = this.expectKey && this.containers.at(-1) === "{";
    this.keyBytes = [];
    if (!this.stringIsKey && this.containers.at(-1) === "{" && this.lastKey !== null) {
      const parent = this.names.at(-1);
      if (this.fields.has(this.lastKey) || (parent != null && this.fields.has(`${parent}.${this.lastKey}`))) {
        this.inString = false;
        this.capture = new Base64Sink();
      }
    }
  }

  /** Inside an ordinary string: skips to its closing quote, keeping a key's text. */
  private stringRun(chunk: Uint8Array, from: number): number {
    let i = from;
    while (i < chunk.length) {
      const c = chunk[i]!;
      i++;
      if (this.escaped) {
        this.escaped = false;
        if (this.stringIsKey) this.keyBytes.push(BACKSLASH, c);
        continue;
      }
      if (c === BACKSLASH) {
        this.escaped = true;
        continue;
      }
      if (c === QUOTE) {
        this.inString = false;
        if (this.stringIsKey) {
          this.lastKey = textDecoder.decode(new Uint8Array(this.keyBytes));
          this.expectKey = false;
        }
        return i;
      }
      if (this.stringIsKey && this.keyBytes.length < 256) this.keyBytes.push(c);
      else if (!this.stringIsKey) {
        // Long values: jump to the next quote or backslash instead of walking every byte.
        const q = chunk.indexOf(QUOTE, i);
        const b = chunk.indexOf(BACKSLASH, i);
        const next = q < 0 ? b : b < 0 ? q : Math.min(q, b);
        i = next < 0 ? chunk.length : next;
      }
    }
    return i;
  }

  /** Inside a captured string: decodes base64 up to the closing quote; returns where it stopped. */
  private captureRun(chunk: Uint8Array, from: number): number {
    const sink = this.capture!;
    let i = from;
    while (i < chunk.length) {
      if (this.escaped) {
        this.escaped = false;
        const c = chunk[i++]!;
        // JSON may escape "/" as "\/"; line breaks are whitespace to base64. Anything else is not base64.
        if (c === 0x2f) sink.write("/");
        else if (c !== 0x6e && c !== 0x72) sink.invalid = true;
        continue;
      }
      const q = chunk.indexOf(QUOTE, i);
      const b = chunk.indexOf(BACKSLASH, i);
      const stop = q < 0 ? b : b < 0 ? q : Math.min(q, b);
      const end = stop < 0 ? chunk.length : stop;
      if (end > i) sink.write(latin1(chunk, i, end));
      if (stop < 0) return chunk.length;
      i = stop + 1;
      if (stop === b) {
        this.escaped = true;
        continue;
      }
      const token = this.images.add(sink.end());
      this.capture = null;
      this.out.push(Buffer.from(`"${token}"`, "latin1"));
      return i;
    }
    return i;
  }

  finish(): string {
    if (this.capture || this.inString) throw new SyntaxError("the JSON body ended inside a string");
    return Buffer.concat(this.out).toString("utf8");
  }
}

function latin1(chunk: Uint8Array, start: number, end: number): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset + start, end - start).toString("latin1");
}

/**
 * Reads a JSON body, decoding the base64 strings at `fields` into `images` and returning the rest
 * of the JSON text with tokens in their place. Any other string, including ones that merely look
 * like base64, is kept as it was. Throws what the stream throws (an abort, a reset connection).
 */
export async function readJsonWithImages(
  body: ReadableStream<Uint8Array> | null,
  fields: readonly ImageField[],
  images: InlineImages,
): Promise<string> {
  const scanner = new Scanner(new Set(fields), images);
  if (body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      scanner.push(value);
    }
  }
  return scanner.finish();
}

/**
 * A fetch for SDKs that parse the answer themselves (`@google/genai` takes one per request): a
 * successful JSON answer reaches the SDK with its images already taken out into `images`. Errors
 * and other answers pass through untouched, so the SDK classifies them exactly as before.
 */
export function imageFetch(fields: readonly ImageField[], images: InlineImages): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !response.body || !/\bjson\b/i.test(type)) return response;
    const text = await readJsonWithImages(response.body, fields, images);
    const headers = new Headers(response.headers);
    // The body handed on is the shortened, already decoded text.
    headers.delete("content-length");
    headers.delete("content-encoding");
    return new Response(text, { status: response.status, statusText: response.statusText, headers });
  };
}
