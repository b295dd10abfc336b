/**
 * The CEL subset the engine evaluates (keys, trigger expressions, cancelOn / waitForEvent `if`):
 *   paths    event.<path>, async.<path>  (dot segments or ["quoted"] / [0] indexes)
 *   literals 'str' "str" 12 -3.5 true false null
 *   ops      == != < <= > >= && || ! and parentheses
 * Anything else (function calls, macros, arithmetic, ternaries, `in`) is a CelError naming the problem.
 */
export class CelError extends Error {
  override name = "CelError";
}

export type CelScope = { event?: unknown; async?: unknown };
export type CelFn = (scope: CelScope) => unknown;

type Tok = { k: "num" | "str" | "id" | "op"; v: string; at: number };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "&&", "||"].includes(two)) {
      toks.push({ k: "op", v: two, at: i });
      i += 2;
    } else if ("<>!().[]".includes(c)) {
      toks.push({ k: "op", v: c, at: i });
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let out = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) j++;
        out += src[j];
        j++;
      }
      if (j >= src.length) throw new CelError(`unterminated string at ${i}`);
      toks.push({ k: "str", v: out, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      const v = m?.[0] ?? c;
      toks.push({ k: "num", v, at: i });
      i += v.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      const v = m?.[0] ?? c;
      toks.push({ k: "id", v, at: i });
      i += v.length;
    } else {
      throw new CelError(`unsupported character "${c}" at ${i}`);
    }
  }
  return toks;
}

function get(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  return (obj as Record<string, unknown>)[key];
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (a && b && typeof a === "object" && typeof b === "object")
    return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const ok =
    (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
  if (!ok) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

/** Compiles `src`; `roots` lists the identifiers it may read (e.g. ["event"] for keys). */
export function compileCel(src: string, roots: readonly string[]): CelFn {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const fail = (msg: string): never => {
    throw new CelError(msg);
  };
  const eat = (v: string) => {
    const t = peek();
    if (t?.k !== "op" || t.v !== v) fail(`expected "${v}" at ${t?.at ?? src.length}`);
    p++;
  };

  const primary = (): CelFn => {
    const t = toks[p++];
    if (!t) return fail("unexpected end of expression");
    if (t.k === "num") {
      const n = Number(t.v);
      return () => n;
    }
    if (t.k === "str") return () => t.v;
    if (t.k === "op" && t.v === "(") {
      const inner = or();
      eat(")");
      return inner;
    }
    if (t.k === "id") {
      if (t.v === "true" || t.v === "false") {
        const b = t.v === "true";
        return () => b;
      }
      if (t.v === "null") return () => null;
      if (!roots.includes(t.v)) fail(`unknown identifier "${t.v}" (allowed: ${roots.join(", ")})`);
      const path: string[] = [];
      for (;;) {
        const n = peek();
        if (n?.k === "op" && n.v === ".") {
          p++;
          const seg = toks[p++];
          if (seg?.k !== "id") fail(`expected a field name after "." at ${n.at}`);
          const after = peek();
          if (after?.k === "op" && after.v === "(")
            fail(`function calls are not supported ("${seg?.v}(" at ${after.at})`);
          path.push(seg?.v ?? "");
        } else if (n?.k === "op" && n.v === "[") {
          p++;
          const seg = toks[p++];
          if (seg?.k !== "str" && seg?.k !== "num") fail(`expected a string or number index at ${n.at}`);
          eat("]");
          path.push(seg?.v ?? "");
        } else break;
      }
      const root = t.v as keyof CelScope;
      return (scope) => path.reduce<unknown>((acc, k) => get(acc, k), scope[root]);
    }
    return fail(`unexpected "${t.v}" at ${t.at}`);
  };

  const unary = (): CelFn => {
    const t = peek();
    if (t?.k === "op" && t.v === "!") {
      p++;
      const inner = unary();
      return (s) => !inner(s);
    }
    return primary();
  };

  const cmp = (): CelFn => {
    const left = unary();
    const t = peek();
    if (t?.k === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.v)) {
      p++;
      const right = unary();
      if (t.v === "==") return (s) => equal(left(s), right(s));
      if (t.v === "!=") return (s) => !equal(left(s), right(s));
      return (s) => compare(t.v, left(s), right(s));
    }
    return left;
  };

  const and = (): CelFn => {
    let left = cmp();
    while (peek()?.k === "op" && peek()?.v === "&&") {
      p++;
      const l = left;
      const r = cmp();
      left = (s) => l(s) === true && r(s) === true;
    }
    return left;
  };

  const or = (): CelFn => {
    let left = and();
    while (peek()?.k === "op" && peek()?.v === "||") {
      p++;
      const l = left;
      const r = and();
      left = (s) => l(s) === true || r(s) === true;
    }
    return left;
  };

  if (toks.length === 0) fail("empty expression");
  const fn = or();
  if (p < toks.length) fail(`unexpected "${toks[p]?.v}" at ${toks[p]?.at}`);
  return fn;
}

const cache = new Map<string, CelFn>();

/** Cached compile; throws CelError with the expression quoted. */
export function cel(src: string, roots: readonly string[]): CelFn {
  const key = roots.join(",") + "\u0000" + src;
  let fn = cache.get(key);
  if (!fn) {
    try {
      fn = compileCel(src, roots);
    } catch (err) {
      throw new CelError(
        `expression "${src}" is outside the supported CEL subset: ${(err as Error).message}`,
      );
    }
    cache.set(key, fn);
  }
  return fn;
}

/** Evaluates a key expression to the string the official server would bucket on. */
export function keyValue(fn: CelFn, scope: CelScope): string {
  const v = fn(scope);
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}
