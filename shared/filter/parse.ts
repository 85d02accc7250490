// Wireshark's display-filter language (wireshark-filter(4), Wireshark 4.0), parsed by hand by
// recursive descent from this grammar (lowest precedence first):
//
//   expr     := xorExpr (('or' | '||') xorExpr)*
//   xorExpr  := andExpr (('xor' | '^^') andExpr)*
//   andExpr  := unary (('and' | '&&') unary)*
//   unary    := ('not' | '!') unary | '(' expr ')' | test
//   test     := operand [relop operand | 'in' set | 'not in' set]
//   relop    := == != === !== ~= < > <= >= eq ne all_eq any_eq all_ne any_ne lt gt le ge
//               contains matches ~
//   operand  := value ['&' value]
//   value    := WORD slice? | STRING | FUNC '(' operand (',' operand)* ')' slice? | '.' WORD
//   set      := '{' member ((',')? member)* '}'     (commas as Wireshark 4, blanks as older ones)
//   member   := operand ['..' operand]
//   slice    := '[' range (',' range)* ']'          (n:m  n-m  n:  :m  n)
//
// Unquoted words are kept as written: whether `10.0.0.1`, `00:11:22`, `A` or `80` is a field, an
// address, bytes, a value name or a number is settled by compile.ts against the field registry,
// as Wireshark settles "unparsed literals" against the other side's field type.
//
// Every error carries the character offset it is about, so a caller can draw Wireshark's caret.

export interface Span {
  start: number;
  end: number;
}

export type Node =
  | { kind: 'or' | 'and' | 'xor'; left: Node; right: Node; span: Span }
  | { kind: 'not'; expr: Node; span: Span }
  | { kind: 'test'; operand: Operand; span: Span }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand; span: Span }
  | { kind: 'in'; negated: boolean; operand: Operand; members: SetMember[]; span: Span };

export type CompareOp =
  'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'lt' | 'gt' | 'le' | 'ge' | 'contains' | 'matches';

export interface SetMember {
  low: Operand;
  high?: Operand;
}

export interface SliceRange {
  /** Start offset (negative: from the end); length, or null for "to the end". */
  start: number;
  length: number | null;
}

export type Operand =
  | { kind: 'word'; text: string; span: Span; slice?: SliceRange[] }
  | { kind: 'string'; text: string; raw: boolean; span: Span; slice?: SliceRange[] }
  | { kind: 'field'; text: string; span: Span; slice?: SliceRange[] }
  | { kind: 'call'; name: string; args: Operand[]; span: Span; slice?: SliceRange[] }
  | { kind: 'bitand'; left: Operand; right: Operand; span: Span };

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

type TokKind = 'word' | 'string' | 'op' | 'punct' | 'end';

interface Token {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
  /** For strings: the value with escapes resolved, and whether it was r"…" (raw). */
  value?: string;
  raw?: boolean;
}

const OPS = ['===', '!==', '==', '!=', '~=', '<=', '>=', '&&', '||', '^^', '..', '<', '>', '!', '~', '&'];
const PUNCT = '(){}[],';
const WORD_STOP = new Set([...' \t\r\n"\'!=<>(){}[],&|~^']);

const KEYWORD_OPS: Readonly<Record<string, CompareOp>> = {
  eq: 'any_eq',
  any_eq: 'any_eq',
  ne: 'all_ne',
  all_ne: 'all_ne',
  all_eq: 'all_eq',
  any_ne: 'any_ne',
  lt: 'lt',
  gt: 'gt',
  le: 'le',
  ge: 'ge',
  contains: 'contains',
  matches: 'matches',
};
const SYMBOL_OPS: Readonly<Record<string, CompareOp>> = {
  '==': 'any_eq',
  '!=': 'all_ne',
  '===': 'all_eq',
  '!==': 'any_ne',
  '~=': 'any_ne',
  '<': 'lt',
  '>': 'gt',
  '<=': 'le',
  '>=': 'ge',
  '~': 'matches',
};

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      i++;
      continue;
    }
    const start = i;
    if (ch === '"' || ((ch === 'r' || ch === 'R') && src[i + 1] === '"')) {
      const raw = ch !== '"';
      i += raw ? 2 : 1;
      let value = '';
      let closed = false;
      while (i < src.length) {
        const c = src[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < src.length) {
          if (raw) {
            value += c + src[i + 1];
            i += 2;
            continue;
          }
          const [text, used] = unescape(src, i);
          value += text;
          i += used;
          continue;
        }
        value += c;
        i++;
      }
      if (!closed)
        throw new FilterSyntaxError('The string is missing its closing quote.', { start, end: src.length });
      out.push({ kind: 'string', text: src.slice(start, i), start, end: i, value, raw });
      continue;
    }
    if (ch === "'") {
      // A character constant, as Wireshark: 'a', '\n', '\x41'.
      const close = src.indexOf("'", i + 2);
      if (close < 0)
        throw new FilterSyntaxError('The character constant is missing its closing quote.', {
          start,
          end: src.length,
        });
      const body = src.slice(i + 1, close);
      const [text] = body.startsWith('\\') ? unescape(body, 0) : [body];
      if ([...text].length !== 1)
        throw new FilterSyntaxError(`${src.slice(start, close + 1)} is not a valid character constant.`, {
          start,
          end: close + 1,
        });
      out.push({ kind: 'word', text: String(text.codePointAt(0)), start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (PUNCT.includes(ch)) {
      out.push({ kind: 'punct', text: ch, start, end: i + 1 });
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op && !(op === '..' && false)) {
      out.push({ kind: 'op', text: op, start, end: i + op.length });
      i += op.length;
      continue;
    }
    if (WORD_STOP.has(ch))
      throw new FilterSyntaxError(`"${ch}" was unexpected in this context.`, { start, end: i + 1 });
    while (i < src.length && !WORD_STOP.has(src[i])) {
      // `8000..8080` inside a set: the range operator ends the word.
      if (src[i] === '.' && src[i + 1] === '.' && i > start) break;
      i++;
    }
    out.push({ kind: 'word', text: src.slice(start, i), start, end: i });
  }
  out.push({ kind: 'end', text: '', start: src.length, end: src.length });
  return out;
}

/** One escape sequence at s[i] (a backslash): its text and how many characters it used. */
function unescape(s: string, i: number): [string, number] {
  const c = s[i + 1];
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    '\\': '\\',
    '"': '"',
    "'": "'",
  };
  if (c in simple) return [simple[c], 2];
  if (c === 'x') {
    const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2));
    if (m) return [String.fromCharCode(parseInt(m[0], 16)), 2 + m[0].length];
  }
  if (c >= '0' && c <= '7') {
    const m = /^[0-7]{1,3}/.exec(s.slice(i + 1));
    if (m) return [String.fromCharCode(parseInt(m[0], 8)), 1 + m[0].length];
  }
  return [c, 2];
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly src: string,
  ) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }
  private next(): Token {
    return this.toks[this.pos++];
  }
  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }
  private isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'op' && ops.includes(t.text);
  }
  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }
  private fail(t: Token, message?: string): never {
    if (t.kind === 'end')
      throw new FilterSyntaxError(message ?? 'Unexpected end of filter expression.', {
        start: t.start,
        end: t.end,
      });
    throw new FilterSyntaxError(message ?? `"${t.text}" was unexpected in this context.`, {
      start: t.start,
      end: t.end,
    });
  }

  parse(): Node {
    if (this.peek().kind === 'end') throw new FilterSyntaxError('The filter is empty.', { start: 0, end: 0 });
    const n = this.expr();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t);
    return n;
  }

  private expr(): Node {
    let left = this.xorExpr();
    while (this.isWord(this.peek(), 'or') || this.isOp(this.peek(), '||')) {
      this.next();
      const right = this.xorExpr();
      left = { kind: 'or', left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private xorExpr(): Node {
    let left = this.andExpr();
    while (this.isWord(this.peek(), 'xor') || this.isOp(this.peek(), '^^')) {
      this.next();
      const right = this.andExpr();
      left = { kind: 'xor', left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private andExpr(): Node {
    let left = this.unary();
    while (this.isWord(this.peek(), 'and') || this.isOp(this.peek(), '&&')) {
      this.next();
      const right = this.unary();
      left = { kind: 'and', left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private unary(): Node {
    const t = this.peek();
    if (this.isWord(t, 'not') || this.isOp(t, '!')) {
      this.next();
      const expr = this.unary();
      return { kind: 'not', expr, span: { start: t.start, end: expr.span.end } };
    }
    if (this.isPunct(t, '(')) {
      this.next();
      const inner = this.expr();
      const close = this.peek();
      if (!this.isPunct(close, ')'))
        this.fail(close, close.kind === 'end' ? 'Missing closing parenthesis.' : undefined);
      this.next();
      return inner;
    }
    return this.test();
  }

  private test(): Node {
    const left = this.operand();
    const t = this.peek();
    const op =
      t.kind === 'op'
        ? SYMBOL_OPS[t.text]
        : t.kind === 'word'
          ? KEYWORD_OPS[t.text.toLowerCase()]
          : undefined;
    if (op) {
      this.next();
      const right = this.operand();
      return { kind: 'compare', op, left, right, span: join(left.span, right.span) };
    }
    const negatedIn = this.isWord(t, 'not') && this.isWord(this.peek(1), 'in');
    if (this.isWord(t, 'in') || negatedIn) {
      this.next();
      if (negatedIn) this.next();
      const { members, end } = this.set();
      return {
        kind: 'in',
        negated: negatedIn,
        operand: left,
        members,
        span: { start: left.span.start, end },
      };
    }
    return { kind: 'test', operand: left, span: left.span };
  }

  private set(): { members: SetMember[]; end: number } {
    const open = this.peek();
    if (!this.isPunct(open, '{')) this.fail(open, `A set must start with "{".`);
    this.next();
    const members: SetMember[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '}')) {
        if (!members.length) this.fail(t, 'A set must have at least one member.');
        this.next();
        return { members, end: t.end };
      }
      if (t.kind === 'end') this.fail(t, 'The set is missing its closing "}".');
      if (members.length && this.isPunct(t, ',')) {
        this.next();
        continue;
      }
      const low = this.value();
      if (this.isOp(this.peek(), '..')) {
        this.next();
        members.push({ low, high: this.value() });
      } else members.push({ low });
    }
  }

  private operand(): Operand {
    const left = this.value();
    if (this.isOp(this.peek(), '&')) {
      this.next();
      const right = this.value();
      return { kind: 'bitand', left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private value(): Operand {
    const t = this.next();
    let v: Operand;
    if (t.kind === 'string')
      v = { kind: 'string', text: t.value!, raw: !!t.raw, span: { start: t.start, end: t.end } };
    else if (t.kind === 'word') {
      if (this.isPunct(this.peek(), '(') && /^[a-z_][a-z0-9_]*$/i.test(t.text)) {
        this.next();
        const args: Operand[] = [];
        while (!this.isPunct(this.peek(), ')')) {
          if (this.peek().kind === 'end')
            this.fail(this.peek(), `Missing ")" after the arguments of ${t.text}().`);
          if (args.length) {
            if (!this.isPunct(this.peek(), ',')) this.fail(this.peek());
            this.next();
          }
          args.push(this.operand());
        }
        const close = this.next();
        v = { kind: 'call', name: t.text.toLowerCase(), args, span: { start: t.start, end: close.end } };
      } else if (t.text.startsWith('.') && t.text.length > 1 && !/^\.\d/.test(t.text)) {
        // `.ip.src`: explicitly a field (Wireshark 4's field prefix).
        v = { kind: 'field', text: t.text.slice(1), span: { start: t.start, end: t.end } };
      } else v = { kind: 'word', text: t.text, span: { start: t.start, end: t.end } };
    } else if (t.kind === 'punct' && t.text === '(') {
      this.fail(t, 'Parentheses must surround a whole test, not a value.');
    } else this.fail(t);
    if (this.isPunct(this.peek(), '[')) v.slice = this.slice();
    return v;
  }

  private slice(): SliceRange[] {
    const open = this.next();
    // The brackets' content is read from the source text: `0:3`, `1-2`, `:4`, `2`, `0:2,5-6`.
    let depth = 0;
    let close = -1;
    for (let i = open.end; i < this.src.length; i++) {
      if (this.src[i] === '[') depth++;
      if (this.src[i] === ']') {
        if (depth === 0) {
          close = i;
          break;
        }
        depth--;
      }
    }
    if (close < 0)
      throw new FilterSyntaxError('The slice is missing its closing "]".', {
        start: open.start,
        end: this.src.length,
      });
    const body = this.src.slice(open.end, close);
    const ranges: SliceRange[] = [];
    for (const part of body.split(',')) {
      const r = parseRange(part.trim());
      if (!r)
        throw new FilterSyntaxError(`"${part.trim()}" is not a valid range.`, {
          start: open.start,
          end: close + 1,
        });
      ranges.push(r);
    }
    while (this.peek().start < close + 1 && this.peek().kind !== 'end') this.pos++;
    return ranges;
  }
}

function parseRange(s: string): SliceRange | null {
  let m = /^(-?\d+)?:(\d+)?$/.exec(s);
  if (m && (m[1] !== undefined || m[2] !== undefined))
    return { start: m[1] ? +m[1] : 0, length: m[2] !== undefined ? +m[2] : null };
  m = /^(-?\d+)-(-?\d+)$/.exec(s);
  if (m) {
    const a = +m[1];
    const b = +m[2];
    if (a >= 0 && b < a) return null;
    return { start: a, length: b - a + 1 };
  }
  m = /^(-?\d+)$/.exec(s);
  if (m) return { start: +m[1], length: 1 };
  return null;
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** The syntax tree of a display filter; throws FilterSyntaxError with the offending span. */
export function parseFilter(src: string): Node {
  return new Parser(tokenize(src), src).parse();
}
