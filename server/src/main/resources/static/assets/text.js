// Turning note text into DOM nodes: search highlights and `- [ ]` checklists. Everything here
// builds text nodes and elements; nothing is ever parsed as HTML (the page enforces Trusted Types).

/** A word as search sees it: letters and digits (SearchQuery.java). */
const WORD = /[\p{L}\p{N}]+/gu;

/** A checklist line: "- [ ] item" or "- [x] item", possibly indented. */
const TASK = /^(\s*- \[)([ xX])(\] ?)(.*)$/;

/**
 * The server's accent folding (SearchFolding.java, the same as the search indexes in schema.sql;
 * AppServingTest checks that the strings agree): decomposed (NFD) with the combining accents
 * removed, the letters of LETTERS_FROM mapped to those of LETTERS_TO, and each character of
 * PUNCTUATION turned into a space, which separates words. Written as JSON strings, which are
 * JavaScript string literals, so that AppServingTest can compare them exactly.
 */
const PUNCTUATION = "./@,;:!?()[]{}<>\"`~#$%^&*+=|\\-_“”‘’…–—«»'";
const LETTERS_FROM = "øØđĐłŁı";
const LETTERS_TO = "ooddlli";
const MARKS = /[\u0300-\u036f]/g;
const FOLDED = new Map([...LETTERS_FROM].map((letter, i) => [letter, LETTERS_TO[i]]));

/** Case- and accent-insensitive form of a text, as the server compares words: "Café" → "cafe". */
export function fold(text) {
  let folded = '';
  for (const c of text.normalize('NFD').replace(MARKS, '')) {
    folded += FOLDED.get(c) ?? (PUNCTUATION.includes(c) ? ' ' : c);
  }
  return folded.toLowerCase();
}

/** The words of a search, folded. Every one must match a word of the note, the last as a prefix. */
export function searchTerms(query) {
  return fold(query ?? '').match(WORD) ?? [];
}

/**
 * Whether a word of the note matches a search: equal to a search word, or, for the last
 * (still being typed), starting with it, just as the server's as-you-type search matches.
 */
function matches(word, terms) {
  const folded = fold(word);
  const last = terms.length - 1;
  return terms.some((term, i) => folded === term || (i === last && folded.startsWith(term)));
}

/** Appends {@code text} to {@code parent}, each word that matches the search in a {@code <mark>}. */
export function appendHighlighted(parent, text, terms) {
  if (terms.length === 0) {
    parent.append(text);
    return;
  }
  let at = 0;
  for (const match of text.matchAll(WORD)) {
    if (!matches(match[0], terms)) continue;
    if (match.index > at) parent.append(text.slice(at, match.index));
    const mark = document.createElement('mark');
    mark.textContent = match[0];
    parent.append(mark);
    at = match.index + match[0].length;
  }
  if (at < text.length) parent.append(text.slice(at));
}

/** The note's lines, each either text or a checklist item with its state. */
export function parseLines(content) {
  return content.split('\n').map((line, index) => {
    const task = TASK.exec(line);
    return task ? { index, task: true, done: task[2] !== ' ', text: task[4] } : { index, task: false, text: line };
  });
}

export function hasTasks(content) {
  return parseLines(content).some((line) => line.task);
}

/** The content with checklist line {@code index} ticked or unticked; every other character kept. */
export function setTask(content, index, done) {
  const lines = content.split('\n');
  const task = TASK.exec(lines[index] ?? '');
  if (!task) return content;
  lines[index] = `${task[1]}${done ? 'x' : ' '}${task[3]}${task[4]}`;
  return lines.join('\n');
}
