/**
 * How the contract's messages show a value: quoted, invisible characters escaped, and the stray
 * quote or whitespace that usually comes along with a pasted id named.
 */

/** Quotes that come along when an id is copied out of JSON, a spreadsheet or a chat. */
const QUOTES = '"\'`\u2018\u2019\u201c\u201d';
/** Whitespace and invisible characters that come along when an id is pasted. */
const STRAY_NAMES: Record<string, string> = {
  ' ': 'space',
  '\t': 'tab',
  '\n': 'newline',
  '\r': 'carriage return',
  '\u00a0': 'non-breaking space',
  '\u200b': 'zero-width space',
  '\ufeff': 'byte-order mark',
};

/** `'"'` for a quote, `space` for a space, … ; `undefined` for other characters. */
function strayName(c: string): string | undefined {
  if (c === '') return undefined;
  if (QUOTES.includes(c)) return `'${c}'`;
  return STRAY_NAMES[c] ?? (/\s/.test(c) ? 'whitespace character' : undefined);
}

/** A value as a message shows it: JSON-quoted, invisible characters escaped, long values cut. */
export function showValue(value: string): string {
  const shown = JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
  return shown.replace(/[^\x20-\x7e…]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Names a quote or whitespace character in `value` (`"IO1GTTHP0M\"" has a trailing '"'`); the
 * usual way a stored id goes wrong. `undefined` when there is none.
 */
export function describeStrayCharacter(value: string): string | undefined {
  const first = strayName(value.charAt(0));
  const last = strayName(value.charAt(value.length - 1));
  if (value.length > 1 && first && first === last) return `${showValue(value)} is wrapped in ${first}`;
  if (first) return `${showValue(value)} has a leading ${first}`;
  if (last) return `${showValue(value)} has a trailing ${last}`;
  for (let i = 0; i < value.length; i++) {
    const name = strayName(value.charAt(i));
    if (name) return `${showValue(value)} contains ${name.startsWith("'") ? name : `a ${name}`} at character ${i + 1}`;
  }
  return undefined;
}

/** `whitespace` or `the character 'x'`: the first character of `value` that `allowed` refuses. */
export function describeBadCharacter(value: string, allowed: RegExp): string {
  const bad = [...value].find((c) => !allowed.test(c)) ?? '';
  return /\s/.test(bad) ? 'whitespace' : `the character '${bad}'`;
}
