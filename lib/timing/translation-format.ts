// Chapter 00 (the Chinese edition): the text format of translations/zh/*.md, read by the
// figures (strings.md) and by scripts/translations.ts (tested in test/translations/format.test.ts).
//
//   # NN-slug                      (a title line, ignored)
//   === cell <id> ===              (an entry; `=== string ===` in strings.md)
//   --- en ---
//   <English, verbatim>
//   --- zh ---
//   <Chinese>
//
// A part's text is the lines between its marker and the next one, with the blank lines at its
// end removed. Anything else (text outside an entry, an unknown marker, a part missing, given
// twice or out of order, an empty Chinese part) is an error naming the file and the line.

/** A malformed translation file: the message names the file and the line. */
export class TranslationFormatError extends Error {
  override name = 'TranslationFormatError';
}

/** One entry: its header (`cell 3a12aba6`), the line it starts on, and its parts. */
export interface TranslationEntry {
  header: string;
  line: number;
  en?: string;
  zh?: string;
}

/** Which entries a file may hold: a header pattern, and the parts such an entry must have. */
export interface EntryKind {
  header: RegExp;
  parts: ReadonlyArray<'en' | 'zh'>;
}

/** Text with the blank lines at its end removed (how both a part and an English cell compare). */
export function trimBlankEnd(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n');
}

/** Reads a translation file's entries; `kinds` says which headers are allowed and their parts. */
export function parseTranslationText(text: string, file: string, kinds: readonly EntryKind[]): TranslationEntry[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const fail = (line: number, why: string): never => {
    throw new TranslationFormatError(`${file}:${line}: ${why}`);
  };
  if (!lines[0].startsWith('# ')) fail(1, 'expected the title line `# NN-slug`');
  const entries: TranslationEntry[] = [];
  let entry: { header: string; line: number; kind: EntryKind; parts: Map<string, string[]> } | undefined;
  let part: string[] | undefined;
  const close = (): void => {
    if (entry === undefined) return;
    const done: TranslationEntry = { header: entry.header, line: entry.line };
    for (const name of entry.kind.parts) {
      const body = entry.parts.get(name);
      if (body === undefined) fail(entry.line, `\`=== ${entry.header} ===\` has no \`--- ${name} ---\` part`);
      done[name] = trimBlankEnd(body!.join('\n'));
    }
    if (done.zh !== undefined && done.zh.trim() === '') fail(entry.line, `\`=== ${entry.header} ===\` has an empty \`--- zh ---\` part`);
    entries.push(done);
  };
  lines.forEach((line, index) => {
    const number = index + 1;
    if (index === 0) return;
    const header = /^=== (.+) ===$/.exec(line);
    const marker = /^--- (.+) ---$/.exec(line);
    if (header !== null) {
      const kind = kinds.find((k) => k.header.test(header[1]));
      if (kind === undefined) fail(number, `unknown entry \`${line}\``);
      close();
      entry = { header: header[1], line: number, kind: kind!, parts: new Map() };
      part = undefined;
    } else if (marker !== null) {
      const name = marker[1];
      if (entry === undefined) fail(number, `\`${line}\` outside an entry`);
      if (!entry!.kind.parts.includes(name as 'en' | 'zh')) fail(number, `unknown part \`${line}\` in \`=== ${entry!.header} ===\``);
      if (entry!.parts.has(name)) fail(number, `a second \`${line}\` in \`=== ${entry!.header} ===\``);
      const expected = entry!.kind.parts[entry!.parts.size];
      if (name !== expected) fail(number, `expected \`--- ${expected} ---\` here, got \`${line}\``);
      part = [];
      entry!.parts.set(name, part);
    } else if (part !== undefined) {
      part.push(line);
    } else if (line.trim() !== '') {
      fail(number, entry === undefined ? 'text outside an entry' : `text before \`--- ${entry.kind.parts[0]} ---\``);
    }
  });
  close();
  return entries;
}
