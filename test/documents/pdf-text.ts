import { inflateSync } from 'node:zlib';

/** Page text of a pdfkit PDF: content streams decoded through each font's ToUnicode CMap. */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const objects = new Map<string, { dict: string; stream: Buffer | null }>();
  const header = /(\d+) 0 obj\s*/g;
  for (let m = header.exec(src); m; m = header.exec(src)) {
    const rest = src.slice(header.lastIndex);
    const end = rest.indexOf('endobj');
    const streamAt = rest.search(/stream\r?\n/);
    if (streamAt >= 0 && streamAt < end) {
      const dict = rest.slice(0, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const start = header.lastIndex + streamAt + rest.slice(streamAt).indexOf('\n') + 1;
      let stream = Buffer.from(src.slice(start, start + length), 'latin1');
      if (dict.includes('/FlateDecode')) stream = inflateSync(stream);
      objects.set(m[1]!, { dict, stream });
      header.lastIndex = start + length;
    } else {
      objects.set(m[1]!, { dict: rest.slice(0, end), stream: null });
    }
  }
  const cmaps = new Map<string, Map<number, string>>();
  for (const [id, obj] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(obj.dict)?.[1];
    if (!ref) continue;
    const cmap = new Map<number, string>();
    const text = objects.get(ref)?.stream?.toString('latin1') ?? '';
    for (const range of text.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
      const first = parseInt(range[1]!, 16);
      [...range[2]!.matchAll(/<([0-9a-f ]+)>/gi)].forEach((entry, i) => {
        const units = entry[1]!.split(' ').map((hex) => parseInt(hex, 16));
        cmap.set(first + i, String.fromCharCode(...units));
      });
    }
    cmaps.set(id, cmap);
  }
  const fontByName = new Map<string, Map<number, string>>();
  for (const obj of objects.values()) {
    for (const ref of obj.dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const cmap = cmaps.get(ref[2]!);
      if (cmap) fontByName.set(ref[1]!, cmap);
    }
  }
  let out = '';
  for (const obj of objects.values()) {
    const content = obj.stream?.toString('latin1') ?? '';
    if (!content.includes(' Tf')) continue;
    let cmap = new Map<number, string>();
    for (const op of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ|\bET\b/g)) {
      if (op[1]) cmap = fontByName.get(op[1]) ?? new Map<number, string>();
      else if (op[2] !== undefined) {
        for (const hex of op[2].matchAll(/<([0-9a-f]*)>/gi)) {
          for (let i = 0; i < hex[1]!.length; i += 4) {
            out += cmap.get(parseInt(hex[1]!.slice(i, i + 4), 16)) ?? '?';
          }
        }
      } else out += '\n';
    }
  }
  return out;
}

/** Whitespace-insensitive: wrapped lines and no-break spaces compare as single spaces. */
export const flat = (text: string) => text.replace(/[\s\u00a0]+/g, ' ');
