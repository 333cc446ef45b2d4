// Cuts a file into pieces of whole lines for the ingestion page, so a file of any size goes to
// the server as several writes under its body limit, and the server's line numbers (counted in
// each piece) can be turned back into line numbers in the file.

/** About this much per request: well under the server's default 25 MiB body limit. */
export const PIECE_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;

/** One write: its bytes and how to turn a line of the piece into a line of the file. */
export interface Piece {
  bytes: Uint8Array<ArrayBuffer>;
  /** Bytes of the file this piece covers (without a repeated CSV header), for progress. */
  fileBytes: number;
  /** File line of the piece's first line of its own (after a repeated header). */
  firstFileLine: number;
  /** Lines at the start of the piece that are not from this part of the file (a repeated CSV header). */
  prefixLines: number;
}

/** The file line of {@code pieceLine} (1-based, as the server counts it); a repeated CSV header is the file's line 1. */
export function fileLine(piece: Piece, pieceLine: number): number {
  if (pieceLine <= piece.prefixLines) return 1;
  return piece.firstFileLine + pieceLine - piece.prefixLines - 1;
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (const b of bytes) if (b === NEWLINE) count++;
  return count;
}

/**
 * Reads {@code file} piece by piece, each ending at a line end (a line longer than a piece is
 * taken whole, up to {@code bytesMax}, and past that sent as it is, for the server to reject).
 * With {@code header} (a CSV header line, newline included), every piece after the first starts with it.
 */
export async function* pieces(file: Blob, pieceBytes: number, bytesMax: number, header?: Uint8Array<ArrayBuffer>): AsyncGenerator<Piece> {
  let offset = 0;
  let nextLine = 1;
  while (offset < file.size) {
    let window = pieceBytes;
    let chunk: Uint8Array<ArrayBuffer>;
    let end: number;
    for (;;) {
      chunk = new Uint8Array(await file.slice(offset, offset + window).arrayBuffer());
      const isLast = offset + chunk.length >= file.size;
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      if (isLast) {
        end = chunk.length;
        break;
      }
      if (lastNewline >= 0) {
        end = lastNewline + 1;
        break;
      }
      if (window >= bytesMax) {
        end = chunk.length;
        break;
      }
      window = Math.min(bytesMax, window * 2);
    }
    const own = chunk.subarray(0, end);
    const isFirst = offset === 0;
    const prefix = !isFirst && header ? header : undefined;
    let bytes = own;
    if (prefix) {
      bytes = new Uint8Array(prefix.length + own.length);
      bytes.set(prefix, 0);
      bytes.set(own, prefix.length);
    }
    yield { bytes, fileBytes: own.length, firstFileLine: nextLine, prefixLines: prefix ? 1 : 0 };
    nextLine += countNewlines(own);
    offset += own.length;
  }
}

/** The first line of a CSV file with its newline, when it looks like a header (no cell is a number or boolean), else undefined. */
export async function csvHeader(file: Blob): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  const newline = head.indexOf(NEWLINE);
  if (newline < 0) return undefined;
  const text = new TextDecoder().decode(head.subarray(0, newline)).replace(/\r$/, '');
  const cells = text.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
  const isValue = (cell: string) => /^[-+]?(\d|\.\d)/.test(cell) || /^(true|false|t|f)$/i.test(cell);
  return cells.some((cell) => cell !== '' && isValue(cell)) ? undefined : head.slice(0, newline + 1);
}

/** The format of a file whose name did not tell: JSON when it starts with { or [, CSV when its first line looks like CSV, else line-based text. */
export async function sniffFormat(file: Blob): Promise<'json' | 'csv' | 'lines'> {
  const head = new TextDecoder().decode(new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer()));
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'json';
  const [first, second] = head.split('\n');
  const cellCount = (line: string) => line.split(',').length;
  if (first !== undefined && second !== undefined && !first.includes('=') && cellCount(first) >= 2 && cellCount(first) === cellCount(second)) {
    return 'csv';
  }
  return 'lines';
}
