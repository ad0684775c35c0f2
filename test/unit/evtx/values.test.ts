/**
 * Value rendering and checksum helpers of the EVTX reader, tested directly:
 * FILETIME conversion over its whole range, SID edge cases, arrays, and the
 * table CRC-32 against Node's native one.
 */

import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Js, crc32Update } from '../../../electron/engine/formats/evtx/crc32.js';
import { filetimeToIso, renderArray, renderScalar } from '../../../electron/engine/formats/evtx/values.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('FILETIME', () => {
  it.each([
    [0n, '1601-01-01T00:00:00.0000000Z'],
    [1n, '1601-01-01T00:00:00.0000001Z'],
    [116444735999999999n, '1969-12-31T23:59:59.9999999Z'],
    [116444736000000000n, '1970-01-01T00:00:00.0000000Z'],
    [125911584000000000n, '2000-01-01T00:00:00.0000000Z'],
    // 2020-02-29 (leap day) 12:34:56.7890123
    [132274532967890123n, '2020-02-29T12:34:56.7890123Z'],
    [0x7fffffffffffffffn, '30828-09-14T02:48:05.4775807Z'],
  ])('%s -> %s', (ticks, iso) => {
    expect(filetimeToIso(ticks)).toBe(iso);
  });

  it('agrees with Date for random instants between years 1601 and 9999', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    let checked = 0;
    for (let i = 0; i < 20000; i++) {
      const ticks = ((BigInt(rnd()) << 32n) | BigInt(rnd())) % 2650467744000000000n; // < year 10000
      const ms = Number(ticks / 10000n) - 11644473600000;
      const expected = new Date(ms).toISOString().slice(0, 23) + String(ticks % 10000n).padStart(4, '0') + 'Z';
      // toISOString writes years before 1000 with 4 digits too, so all compare.
      expect(filetimeToIso(ticks)).toBe(expected);
      checked++;
    }
    expect(checked).toBe(20000);
  });
});

describe('scalars and arrays', () => {
  it('writes a SID whose identifier authority needs 48 bits in hex, as ConvertSidToStringSid does', () => {
    expect(renderScalar(0x13, bytes(1, 1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 7, 0, 0, 0), 0, 12)).toBe('S-1-0x010000000000-7');
    expect(renderScalar(0x13, bytes(1, 0, 0, 0, 0, 0, 0, 1), 0, 8)).toBe('S-1-1');
  });

  it('rejects a SID whose sub-authority count does not fit its value', () => {
    expect(() => renderScalar(0x13, bytes(1, 3, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0), 0, 12)).toThrow('SID with 3 sub-authorities needs 20 bytes, value has 12');
  });

  it('rejects an unknown value type', () => {
    expect(() => renderScalar(0x16, bytes(1, 2), 0, 2)).toThrow('unknown value type 0x16');
  });

  it('splits string arrays at NUL, keeping empty items and dropping only the final terminator', () => {
    const u = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf16le'));
    expect(renderArray(0x81, u('a\0\0b\0'), 0, 10)).toEqual(['a', '', 'b']);
    expect(renderArray(0x81, u('a\0b'), 0, 6)).toEqual(['a', 'b']);
    expect(renderArray(0x81, u(''), 0, 0)).toEqual([]);
    expect(renderArray(0x82, bytes(0x78, 0, 0x79, 0), 0, 4)).toEqual(['x', 'y']);
  });

  it('splits fixed-size arrays and SID arrays, and rejects a ragged array', () => {
    expect(renderArray(0x8f, new Uint8Array(32), 0, 32)).toEqual(['{00000000-0000-0000-0000-000000000000}', '{00000000-0000-0000-0000-000000000000}']);
    expect(renderArray(0x93, bytes(1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1), 0, 20)).toEqual(['S-1-5-18', 'S-1-1']);
    expect(renderArray(0x94, bytes(1, 0, 0, 0, 0xff, 0, 0, 0), 0, 8)).toEqual(['0x1', '0xff']);
    expect(() => renderArray(0x88, bytes(1, 0, 0, 0, 2), 0, 5)).toThrow('array of type 0x8: 5 bytes is not a multiple of 4');
  });
});

describe('CRC-32', () => {
  it('matches the check value and Node zlib, in one piece and continued over split ranges', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 0xff);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32Js(0, new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(data)).toBe(zlibCrc32(data) >>> 0);
    expect(crc32Js(0, data)).toBe(zlibCrc32(data) >>> 0);
    for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
      expect(crc32Js(crc32Js(0, data, 0, cut), data, cut)).toBe(crc32(data));
      expect(crc32Update(crc32(data, 0, cut), data, cut)).toBe(crc32(data));
    }
  });
});
