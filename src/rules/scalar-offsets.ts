/**
 * Maps an offset inside a YAML scalar's *value* back to an offset in the file, so a CEL error
 * points at the offending character even when the expression is quoted, escaped, folded or
 * written as a block scalar.
 */
import { isScalar, type Node } from 'yaml';

/**
 * Source offset (into the file text) of each character of the scalar's value, or undefined when
 * the node is not a scalar or the reconstruction disagrees with the parsed value (then callers
 * fall back to the scalar's start).
 */
export function scalarValueOffsets(text: string, node: Node | undefined): number[] | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const [start, end] = node.range;
  const source = text.slice(start, end);
  let mapped: { chars: string[]; offsets: number[] };
  switch (node.type) {
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      mapped = blockScalar(source, node.type === 'BLOCK_FOLDED');
      break;
    case 'QUOTE_DOUBLE':
      mapped = flowScalar(source, 'double');
      break;
    case 'QUOTE_SINGLE':
      mapped = flowScalar(source, 'single');
      break;
    default:
      mapped = flowScalar(source, 'plain');
  }
  const rebuilt = mapped.chars.join('');
  if (rebuilt.trimEnd() !== node.value.trimEnd()) return undefined;
  return mapped.offsets.map((o) => o + start);
}

/** File offset of `valueOffset` within the scalar, clamped to the scalar. */
export function fileOffsetInScalar(text: string, node: Node | undefined, valueOffset: number): number | undefined {
  const offsets = scalarValueOffsets(text, node);
  if (!offsets) return node?.range?.[0];
  if (offsets.length === 0) return node!.range![0];
  const i = Math.max(0, Math.min(valueOffset, offsets.length - 1));
  return offsets[i];
}

type FlowKind = 'plain' | 'single' | 'double';

const ESCAPE_LENGTH: Record<string, number> = { x: 4, u: 6, U: 10 };

/** Plain and quoted scalars: line breaks fold to a space (or to "\n" per empty line). */
function flowScalar(source: string, kind: FlowKind): { chars: string[]; offsets: number[] } {
  const chars: string[] = [];
  const offsets: number[] = [];
  const emit = (c: string, at: number) => {
    chars.push(c);
    offsets.push(at);
  };
  const quoted = kind !== 'plain';
  let i = quoted ? 1 : 0;
  // The character at `end` is the closing quote, or past the text: never white space or a line break.
  const end = quoted ? source.length - 1 : source.length;
  let lineStartIndex = 0; // index in chars where the current source line's output began
  while (i < end) {
    const c = source[i]!;
    const lineBreak = lineBreakLength(source, i);
    if (lineBreak > 0) {
      // Trailing white space of a folded line is not part of the value.
      while (chars.length > lineStartIndex && (chars[chars.length - 1] === ' ' || chars[chars.length - 1] === '\t')) {
        chars.pop();
        offsets.pop();
      }
      const breakAt = i;
      let emptyLines = 0;
      i += lineBreak;
      for (;;) {
        while (source[i] === ' ' || source[i] === '\t') i++;
        const emptyLineBreak = lineBreakLength(source, i);
        if (emptyLineBreak === 0) break;
        emptyLines++;
        i += emptyLineBreak;
      }
      if (emptyLines === 0) emit(' ', breakAt);
      else for (let k = 0; k < emptyLines; k++) emit('\n', breakAt);
      lineStartIndex = chars.length;
      continue;
    }
    if (kind === 'double' && c === '\\') {
      const next = source[i + 1]!; // at least the closing quote follows
      const escapedBreak = lineBreakLength(source, i + 1);
      if (escapedBreak > 0) {
        // An escaped line break joins the lines with nothing in between.
        i += 1 + escapedBreak;
        while (source[i] === ' ' || source[i] === '\t') i++;
        lineStartIndex = chars.length;
        continue;
      }
      emit(unescape(source.slice(i, i + (ESCAPE_LENGTH[next] ?? 2))), i);
      i += ESCAPE_LENGTH[next] ?? 2;
      continue;
    }
    // Inside single quotes a quote is always doubled (a lone one would have ended the scalar).
    if (kind === 'single' && c === "'") {
      emit("'", i);
      i += 2;
      continue;
    }
    emit(c, i);
    i++;
  }
  return { chars, offsets };
}

/** 2 for CRLF, 1 for LF, 0 otherwise: the yaml library reads a lone CR as a character. */
function lineBreakLength(source: string, i: number): number {
  if (source[i] === '\n') return 1;
  return source[i] === '\r' && source[i + 1] === '\n' ? 2 : 0;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

function unescape(escape: string): string {
  const kind = escape[1]!; // an escape is a backslash and at least one character
  if (kind in ESCAPE_LENGTH) return String.fromCodePoint(parseInt(escape.slice(2), 16));
  return SIMPLE_ESCAPES[kind] ?? kind;
}

/**
 * Block scalars: each content line contributes its text (minus the block indentation) and one
 * separator ("\n", or " " when folded). In a folded scalar, a line followed by an empty line
 * contributes no separator: the empty lines become the line breaks.
 */
function blockScalar(source: string, folded: boolean): { chars: string[]; offsets: number[] } {
  const chars: string[] = [];
  const offsets: number[] = [];
  const headerEnd = source.indexOf('\n');
  if (headerEnd === -1) return { chars, offsets };
  const lines: { text: string; at: number }[] = [];
  let at = headerEnd + 1;
  for (const line of source.slice(headerEnd + 1).split('\n')) {
    lines.push({ text: line.replace(/\r$/, ''), at });
    at += line.length + 1;
  }
  // The block's indentation is its first content line's, which no later content line goes below.
  // An explicit indicator is relative to the parent's indentation, which we do not track: the
  // least-indented content line has it unless every line is indented more than it says.
  const indent = leastIndent(lines);
  for (let n = 0; n < lines.length; n++) {
    const { text, at: lineAt } = lines[n]!;
    const content = text.slice(indent);
    for (let k = 0; k < content.length; k++) {
      chars.push(content[k]!);
      offsets.push(lineAt + indent + k);
    }
    const next = lines[n + 1];
    const moreIndented = content.startsWith(' ') || content.startsWith('\t') || (next !== undefined && /^[ \t]/.test(next.text.slice(indent)));
    if (folded && content !== '' && next !== undefined && next.text.trim() === '') continue;
    chars.push(folded && content !== '' && !moreIndented ? ' ' : '\n');
    offsets.push(lineAt + text.length);
  }
  return { chars, offsets };
}

function leastIndent(lines: { text: string }[]): number {
  const indents = lines.filter((l) => l.text.trim() !== '').map((l) => leadingSpaces(l.text));
  return indents.length ? Math.min(...indents) : 0;
}

/** Indentation of a line that is not blank: spaces only (a tab after them is content). */
function leadingSpaces(line: string): number {
  return line.search(/[^ ]/);
}
