/**
 * Seeded generator of Go templates and data for the Go engine's differential test: every
 * construct of text/template (text and trim markers, comments, pipelines, parenthesised
 * pipelines, fields, chains, variables, literals of every kind, if/else if/else, range over lists
 * and maps with else, break and continue, with/else, define/template/block, the builtins and
 * secretgen's functions), nested, with random whitespace. Some templates are wrong on purpose
 * (bad types, missing keys, wrong argument counts): both engines must fail on exactly those.
 */

/** mulberry32: a small seeded PRNG (deterministic across runs). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The data every generated template sees (JSON, as ASG passes `data`). */
export const GO_DATA = {
  s: "hello",
  e: "",
  u: "héllo wörld ✓",
  q: "say \"hi\" <b> & 'x'",
  n: 3,
  f: 2.5,
  z: 0,
  neg: -7.25,
  big: 1e21,
  mid: 1234567,
  small: 0.00001,
  t: true,
  fa: false,
  nil: null,
  l: ["a", "b", "c"],
  nl: [1, 2, 3],
  mixed: [1, "x", null, true, 2.5],
  em: [],
  m: { b: "B", a: "A", c: 3, "z-key": "dash" },
  emm: {},
  nested: { x: { y: "deep", l: [1, { k: "v" }] } },
  users: ["alice", "bob"],
  names: ["a", "b"],
};

type Rand = () => number;

class Gen {
  vars: string[][] = [["$"]];
  defines: string[] = [];
  inRange = 0;
  depth = 0;

  constructor(readonly r: Rand) {}

  int(n: number): number {
    return Math.floor(this.r() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  ws(): string {
    return this.pick(["", "", "", " ", " ", "  ", "\n", "\t", " \n "]);
  }

  sp(): string {
    return this.pick([" ", " ", " ", "  ", "\t", "\n", " \n "]);
  }

  text(): string {
    return this.pick([
      "",
      "x",
      " ",
      "\n",
      "  a b ",
      "\t",
      "-",
      "}",
      "%",
      "é",
      "\n\n  ",
      "ab\n",
      " = ",
    ]);
  }

  visibleVars(): string[] {
    return this.vars.flat();
  }

  open(): string {
    return "{{" + (this.chance(0.3) ? "- " + this.ws() : this.pick(["", "", " "]));
  }

  close(): string {
    return (this.chance(0.3) ? this.sp() + "-" : this.pick(["", "", " "])) + "}}";
  }

  stringLit(): string {
    return this.pick([
      '"str"',
      '""',
      "`raw`",
      "`a\\nb`",
      '"a\\tb\\n"',
      '"\\u00e9\\x41"',
      '"user-passwords/alice"',
      '"a"',
      '"b"',
      '"%s"',
      '"<&>"',
      '"with space"',
    ]);
  }

  intLit(): string {
    return this.pick([
      "0",
      "1",
      "2",
      "3",
      "-2",
      "10",
      "0x1F",
      "0o17",
      "010",
      "1_000",
      "'a'",
      "'\\n'",
      "42",
    ]);
  }

  floatLit(): string {
    return this.pick(["1.5", "-0.25", "1e3", "2.0", "0.1", "1e-7", "3.14159", "1e21", "0x1p-2"]);
  }

  field(): string {
    if (this.chance(0.04)) return this.pick([".missing", ".m.nope", ".s.x"]);
    return this.pick([
      ".s",
      ".e",
      ".u",
      ".q",
      ".n",
      ".f",
      ".z",
      ".neg",
      ".big",
      ".mid",
      ".small",
      ".t",
      ".fa",
      ".nil",
      ".l",
      ".nl",
      ".mixed",
      ".em",
      ".m",
      ".m.a",
      ".m.c",
      ".emm",
      ".nested.x.y",
      ".nested.x.l",
      ".nested.x",
      ".users",
    ]);
  }

  variable(): string {
    const v = this.pick(this.visibleVars());
    if (v === "$" && this.chance(0.5))
      return this.pick(["$.s", "$.m.b", "$.l", "$.n", "$.nested.x.y"]);
    return v;
  }

  /** An operand: anything that can be an argument. */
  operand(): string {
    if (this.depth < 3 && this.chance(0.15)) {
      this.depth++;
      const inner = `(${this.pipeline()})`;
      this.depth--;
      return inner + (this.chance(0.1) ? this.pick([".a", ".x", ".s"]) : "");
    }
    switch (this.int(9)) {
      case 0:
        return this.stringLit();
      case 1:
        return this.intLit();
      case 2:
        return this.floatLit();
      case 3:
        return this.chance(0.1) ? "nil" : this.pick(["true", "false"]);
      case 4:
        return ".";
      case 5:
      case 6:
        return this.field();
      default:
        return this.variable();
    }
  }

  /** An operand of a kind: string-like for string params, int-like for int params. */
  typed(kind: "string" | "int" | "any"): string {
    if (this.chance(0.05)) return this.operand();
    if (kind === "string")
      return this.pick([this.stringLit(), ".s", ".u", ".m.a", '(readSecret "a")', ".e", "$.s"]);
    if (kind === "int") return this.pick([this.intLit(), "(len .l)", "(len .s)", "4", "10"]);
    return this.operand();
  }

  args(n: number, kind: "string" | "int" | "any" = "any"): string {
    let out = "";
    for (let i = 0; i < n; i++) out += this.sp() + this.typed(kind);
    return out;
  }

  format(): { f: string; kinds: ("string" | "int" | "any")[] } {
    return this.pick([
      { f: '"%s"', kinds: ["string"] },
      { f: '"%d"', kinds: ["int"] },
      { f: '"%v"', kinds: ["any"] },
      { f: '"%q"', kinds: ["string"] },
      { f: '"%x"', kinds: ["string"] },
      { f: '"%X"', kinds: ["int"] },
      { f: '"%5d|"', kinds: ["int"] },
      { f: '"%-5s|"', kinds: ["string"] },
      { f: '"%05d"', kinds: ["int"] },
      { f: '"%.2f"', kinds: ["any"] },
      { f: '"%8.3f|"', kinds: ["any"] },
      { f: '"%e"', kinds: ["any"] },
      { f: '"%g"', kinds: ["any"] },
      { f: '"%.3g"', kinds: ["any"] },
      { f: '"%t"', kinds: ["any"] },
      { f: '"%c"', kinds: ["int"] },
      { f: '"%o %b"', kinds: ["int", "int"] },
      { f: '"%+d"', kinds: ["int"] },
      { f: '"%%"', kinds: [] },
      { f: '"%T"', kinds: ["any"] },
      { f: '"%U"', kinds: ["int"] },
      { f: '"% x"', kinds: ["string"] },
      { f: '"%#x"', kinds: ["int"] },
      { f: '"%#o"', kinds: ["int"] },
      { f: '"%s %s"', kinds: ["string", "string"] },
      { f: '"%d%%"', kinds: ["int"] },
      { f: '"%v-%v"', kinds: ["any", "any"] },
      { f: '"%z"', kinds: ["any"] },
      { f: '"%"', kinds: [] },
      { f: '"%.3s"', kinds: ["string"] },
      { f: '"%10.4v|"', kinds: ["any"] },
      { f: '"%+q"', kinds: ["string"] },
      { f: '"%#q"', kinds: ["string"] },
      { f: '"%6.2v"', kinds: ["any"] },
      { f: '"%s"', kinds: [] },
      { f: '"%d"', kinds: ["int", "int"] },
      { f: '"%-8v|%8v"', kinds: ["any", "any"] },
      { f: '"%*d"', kinds: ["int", "int"] },
    ]);
  }

  /** A command: an operand alone, or a function call. */
  command(piped: boolean): string {
    const fn = this.int(24);
    switch (fn) {
      case 0:
      case 1: {
        const { f, kinds } = this.format();
        const rest = piped && kinds.length > 0 ? kinds.slice(0, -1) : kinds;
        return "printf " + f + rest.map((k) => this.sp() + this.typed(k)).join("");
      }
      case 2:
        return "print" + this.args(this.int(4));
      case 3:
        return "println" + this.args(this.int(3));
      case 4:
        return this.pick(["and", "or"]) + this.args(piped ? this.int(3) : 1 + this.int(3));
      case 5:
        return "not" + (piped ? "" : this.args(1));
      case 6:
        return (
          "len" +
          (piped
            ? ""
            : this.sp() + this.pick([".l", ".s", ".u", ".m", ".em", ".n", '"abc"', ".nil"]))
        );
      case 7:
        return (
          "index " +
          this.pick([".l", ".nl", ".m", ".mixed", ".s", ".nested.x.l", ".nil", '"xyz"']) +
          this.args(this.int(3), this.chance(0.5) ? "int" : "string")
        );
      case 8:
        return (
          "slice " +
          this.pick([".l", '"hello"', ".s", ".nl", ".m"]) +
          this.pick(["", " 1", " 0 2", " 1 3", " 0 3", " 1 2", " 2 1", " 0 1 2", " 100"])
        );
      case 9: {
        const op = this.pick(["eq", "ne", "lt", "le", "gt", "ge"]);
        const pairs = [
          [".s", '"hello"'],
          [".n", "3"],
          [".n", "3.0"],
          ["1", "2"],
          ['"a"', '"b"'],
          [".f", "2.5"],
          [".t", "true"],
          [".nil", "nil"],
          [".l", ".l"],
          ["(len .l)", "3"],
          [".u", ".s"],
          ["(index .s 0)", "104"],
          [".m.c", "3.0"],
        ];
        const [a, b] = this.pick(pairs);
        const extra =
          op === "eq" && this.chance(0.3) ? this.sp() + this.pick(['"x"', "1", ".s"]) : "";
        return piped ? `${op}${this.sp()}${a}` : `${op}${this.sp()}${a}${this.sp()}${b}${extra}`;
      }
      case 10:
        return (
          this.pick(["html", "js", "urlquery"]) + this.args(piped ? this.int(2) : 1 + this.int(2))
        );
      case 11:
        return (
          (this.chance(0.5) ? "readSecret" : "secret") +
          (piped
            ? ""
            : this.sp() +
              this.pick([
                '"a"',
                '"b"',
                '"user-passwords/bob"',
                '"nope"',
                '(fmt "user-passwords/%s" "alice")',
              ]))
        );
      case 12:
        return (
          this.pick(["hashBcrypt", "bcrypt"]) +
          this.sp() +
          this.pick(['(readSecret "a")', ".s", '"pw"', "(readSecret .s)"]) +
          (piped
            ? ""
            : this.sp() +
              (this.chance(0.1) ? this.pick(["3", ".n", '"10"']) : this.pick(["10", "4", "5"])))
        );
      case 13: {
        const { f, kinds } = this.format();
        const rest = piped && kinds.length > 0 ? kinds.slice(0, -1) : kinds;
        return "fmt " + f + rest.map((k) => this.sp() + this.typed(k)).join("");
      }
      case 14:
        return (
          "concat" +
          this.args(piped ? this.int(2) : 1 + this.int(3), this.chance(0.7) ? "string" : "any")
        );
      case 15:
        return (
          this.pick(["base64", "sha256", "trim", "json"]) +
          (piped ? "" : this.sp() + this.typed(this.chance(0.8) ? "string" : "any"))
        );
      case 16:
        return (
          "random" +
          this.sp() +
          (this.chance(0.1) ? this.pick(["0", ".n"]) : this.pick(["8", "16", "4"])) +
          (piped ? "" : this.pick(["", ' "hex"', " .m"]))
        );
      case 17:
        if (this.chance(0.1)) return "call" + this.sp() + this.pick([".s", ".nil", "."]);
        return "print" + this.args(1);
      default:
        return piped
          ? this.pick(['printf "%v"', "print", "len", "not", "html", "urlquery"])
          : this.operand();
    }
  }

  pipeline(): string {
    let out = this.command(false);
    const stages = this.chance(0.3) ? 1 + this.int(2) : 0;
    for (let i = 0; i < stages; i++) out += this.ws() + "|" + this.ws() + this.command(true);
    return out;
  }

  declaration(): string {
    const names = this.vars[this.vars.length - 1] as string[];
    const existing = this.visibleVars().filter((v) => v !== "$");
    if (existing.length > 0 && this.chance(0.3))
      return `${this.pick(existing)} = ${this.pipeline()}`;
    const name = `$v${this.int(5)}`;
    const pipe = this.pipeline();
    names.push(name);
    return `${name} := ${pipe}`;
  }

  scoped(body: () => string): string {
    this.vars.push([]);
    try {
      return body();
    } finally {
      this.vars.pop();
    }
  }

  control(): string {
    const o = () => this.open();
    const c = () => this.close();
    switch (this.int(7)) {
      case 0:
      case 1: {
        // if / else if / else
        return this.scoped(() => {
          let out = `${o()}if ${this.pipeline()}${c()}${this.body()}`;
          if (this.chance(0.3)) out += `${o()}else if ${this.pipeline()}${c()}${this.body()}`;
          if (this.chance(0.5)) out += `${o()}else${c()}${this.body()}`;
          return out + `${o()}end${c()}`;
        });
      }
      case 2:
      case 3: {
        // range, with variables, else, break/continue
        return this.scoped(() => {
          const names = this.vars[this.vars.length - 1] as string[];
          let decl = "";
          const d = this.int(3);
          if (d === 1) {
            decl = "$e := ";
            names.push("$e");
          } else if (d === 2) {
            decl = "$i, $e := ";
            names.push("$i", "$e");
          }
          const over = this.pick([
            ".l",
            ".nl",
            ".m",
            ".em",
            ".emm",
            ".nil",
            ".mixed",
            ".users",
            ".nested.x.l",
            ".s",
            ".n",
            "$.l",
            "(slice .l 1)",
          ]);
          this.inRange++;
          let out = `${o()}range ${decl}${over}${c()}${this.body()}`;
          if (this.chance(0.3))
            out += `${o()}${this.pick(["break", "continue"])}${c()}${this.body()}`;
          this.inRange--;
          if (this.chance(0.4)) out += `${o()}else${c()}${this.body()}`;
          return out + `${o()}end${c()}`;
        });
      }
      case 4: {
        return this.scoped(() => {
          let decl = "";
          if (this.chance(0.3)) {
            decl = "$w := ";
            (this.vars[this.vars.length - 1] as string[]).push("$w");
          }
          let out = `${o()}with ${decl}${this.pipeline()}${c()}${this.body()}`;
          if (this.chance(0.4)) out += `${o()}else${c()}${this.body()}`;
          return out + `${o()}end${c()}`;
        });
      }
      case 5:
        if (this.defines.length > 0)
          return `${o()}template "${this.pick(this.defines)}"${this.chance(0.7) ? " " + this.pipeline() : ""}${c()}`;
        return this.comment();
      default:
        if (this.inRange > 0 && this.chance(0.3))
          return `${o()}${this.pick(["break", "continue"])}${c()}`;
        return this.chance(0.4) ? this.comment() : `${o()}${this.declaration()}${c()}`;
    }
  }

  /** A comment: Go wants `/*` right after `{{` or `{{- `, and `}}` or ` -}}` right after it. */
  comment(): string {
    const body = this.pick(["/* comment */", "/* a {{comment}} */", "/**/", "/* multi\nline */"]);
    // Now and then a malformed one, which both must refuse.
    if (this.chance(0.05)) return `{{ ${body} }}`;
    return this.pick(["{{", "{{- "]) + body + this.pick(["}}", " -}}"]);
  }

  item(): string {
    const k = this.int(10);
    if (k < 3) return this.text();
    if (k < 7 || this.depth >= 3) return `${this.open()}${this.pipeline()}${this.close()}`;
    this.depth++;
    const out = this.control();
    this.depth--;
    return out;
  }

  body(): string {
    let out = "";
    const n = this.int(4);
    for (let i = 0; i < n; i++) out += this.item();
    return out;
  }

  template(): string {
    let out = "";
    const defs = this.int(3);
    for (let i = 0; i < defs; i++) {
      const name = `d${i}`;
      const saved = this.vars;
      this.vars = [["$"]];
      out += `{{define "${name}"}}${this.body()}{{end}}${this.text()}`;
      this.vars = saved;
      this.defines.push(name);
    }
    if (this.chance(0.1)) {
      const saved = this.vars;
      this.vars = [["$"]];
      const name = `blk${this.int(2)}`;
      out += `${this.open()}block "${name}" ${this.pipeline()}${this.close()}${this.body()}{{end}}`;
      this.vars = saved;
    }
    const n = 1 + this.int(6);
    for (let i = 0; i < n; i++) out += this.item();
    return out;
  }
}

/** `count` templates from `seed`. */
export function goTemplates(seed: number, count: number): string[] {
  const r = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(new Gen(r).template());
  return out;
}

/**
 * `templates` each with one random edit (a character deleted, duplicated, or one of
 * `{}()|-$".` inserted): mostly syntax errors, where both engines must fail alike, and some that
 * still parse to something else.
 */
export function mutated(seed: number, templates: readonly string[]): string[] {
  const r = prng(seed);
  const pick = (n: number) => Math.floor(r() * n);
  return templates.map((t) => {
    if (t.length === 0) return t;
    const i = pick(t.length);
    switch (pick(3)) {
      case 0:
        return t.slice(0, i) + t.slice(i + 1);
      case 1:
        return t.slice(0, i) + (t[i] ?? "") + t.slice(i);
      default:
        return t.slice(0, i) + ('{}()|-$".'[pick(9)] ?? "") + t.slice(i);
    }
  });
}
