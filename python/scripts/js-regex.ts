/**
 * Translates a JavaScript `RegExp` of the contract into a Python `re` pattern with the same verdict:
 * `re.search(python, value)` is truthy exactly when `pattern.test(value)` is true.
 *
 * Only the syntax the two engines read alike is accepted; anything else throws, so a rule written
 * with JavaScript-only syntax fails the generator instead of changing meaning in Python.
 * What differs, and how it is kept the same:
 * - `\w`, `\d`, `\b` are ASCII in JavaScript without the `u` flag: the Python pattern starts with `(?a)`;
 * - `\s` is JavaScript's whitespace set (which includes U+FEFF and excludes U+001C–U+001F, unlike
 *   Python's): written out as a class;
 * - `.` excludes JavaScript's four line terminators (Python's excludes only `\n`): written out;
 * - `$` is the end of the input (Python's also matches before a final `\n`): `\Z`; `^` becomes `\A`.
 * Refused: flags, named groups and `\k`, back-references, `\p{…}`/`\u{…}`, `\c`, `[]`/`[^]`,
 * `{,n}` (a quantifier in Python, literal text in JavaScript), nested `[` and doubled `&&`, `--`,
 * `||`, `~~` inside a class (Python reserves them for set operations), and unknown escapes.
 *
 * @see https://tc39.es/ecma262/#sec-regexp-regular-expression-objects
 * @see https://docs.python.org/3/library/re.html#regular-expression-syntax
 */

/** JavaScript's `\s` (WhiteSpace and LineTerminator), as the body of a Python character class. */
export const JS_WHITESPACE_CLASS = '\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** What JavaScript's `.` matches without the `s` flag: anything but a line terminator. */
const JS_DOT = '[^\\n\\r\\u2028\\u2029]';

/** Escapes both engines read the same way (under Python's `(?a)`), outside and inside a class. */
const SHARED_ESCAPES = new Set(['w', 'W', 'd', 'D', 't', 'n', 'r', 'f', 'v']);

/** Characters whose escape means the character itself in both engines. */
const SYNTAX_CHARACTERS = '^$\\.*+?()[]{}|/-';

/** Characters outside a class that Python reads differently, and what they become. */
const OUTSIDE_CLASS: Readonly<Record<string, string>> = { '{': '\\{', '}': '\\}', '^': '\\A', '$': '\\Z', '.': JS_DOT };

/** The Python text of the escape at `source[i]` and the length it takes in `source`; `undefined` when it has none. */
function translateEscape(source: string, i: number, inClass: boolean): [string, number] | undefined {
  const e = source.charAt(i + 1);
  const hex = (n: number) => new RegExp(`^[0-9a-fA-F]{${n}}$`).test(source.slice(i + 2, i + 2 + n));
  if (e === 's') return [inClass ? JS_WHITESPACE_CLASS : `[${JS_WHITESPACE_CLASS}]`, 2];
  if (e === 'S') return inClass ? undefined : [`[^${JS_WHITESPACE_CLASS}]`, 2];
  // \b is a word boundary outside a class and a backspace inside one, in both engines; \B has no meaning inside one.
  if (SHARED_ESCAPES.has(e) || e === 'b' || (e === 'B' && !inClass)) return [`\\${e}`, 2];
  if (e === 'u' && hex(4)) return [source.slice(i, i + 6), 6];
  if (e === 'x' && hex(2)) return [source.slice(i, i + 4), 4];
  if (e !== '' && SYNTAX_CHARACTERS.includes(e)) return [e === '/' ? '/' : `\\${e}`, 2];
  return undefined;
}

/**
 * The Python pattern for `pattern` (use it with `re.search`, no flags).
 *
 * @throws Error naming the pattern and the construct when it uses syntax the engines read differently
 */
export function toPythonPattern(pattern: RegExp): string {
  const fail = (what: string, at: number): never => {
    throw new Error(`${pattern}: ${what} at character ${at + 1} reads differently in Python's re; write the rule without it`);
  };
  if (pattern.flags !== '') fail(`the flags '${pattern.flags}'`, 0);
  const source = pattern.source;
  let out = '(?a)';
  let inClass = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const [python, length] = translateEscape(source, i, inClass) ?? fail(`the escape '${source.slice(i, i + 2)}'`, i);
      out += python;
      i += length;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') fail("a '[' inside a class", i);
      else if ('&~|-'.includes(c) && source[i + 1] === c) fail(`'${c}${c}' inside a class`, i);
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      const negated = source[i + 1] === '^';
      if (source[i + (negated ? 2 : 1)] === ']') fail(`the class '${negated ? '[^]' : '[]'}'`, i);
      inClass = true;
      out += negated ? '[^' : '[';
      i += negated ? 2 : 1;
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const group = ['(?:', '(?=', '(?!', '(?<=', '(?<!'].find((g) => source.startsWith(g, i));
      if (!group) fail('a named group', i);
      out += group;
      i += group!.length;
      continue;
    }
    if (c === '{') {
      const quantifier = /^\{[0-9]+(,[0-9]*)?\}/.exec(source.slice(i));
      if (quantifier) {
        out += quantifier[0];
        i += quantifier[0].length;
        continue;
      }
      if (/^\{,[0-9]*\}/.test(source.slice(i))) fail("'{,n}'", i);
    }
    out += OUTSIDE_CLASS[c] ?? c;
    i++;
  }
  return out;
}
