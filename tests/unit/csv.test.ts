// The device import's CSV parser (RFC 4180) and its decoding of UTF-8 and GB18030, alone (pure). The import itself,
// through the API of a real FireNet, is in tests/platform/security-devices.test.ts.
import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv } from '../../platform/devices/csv.js';

describe('CSV parser (RFC 4180)', () => {
  it('decodes UTF-8 (with or without BOM) and GB18030, including GBK text that happens to be valid UTF-8', () => {
    expect(decodeCsv(Buffer.from('\uFEFFid,zone\r\nsd-1,蛟河市人民医院\r\n'))).toBe('id,zone\r\nsd-1,蛟河市人民医院\r\n'); // BOM dropped
    expect(decodeCsv(Buffer.from('id,zone\nsd-1,ward 3\n'))).toBe('id,zone\nsd-1,ward 3\n');
    const gbk = Buffer.from([242, 212, 186, 211, 202, 208, 200, 203, 195, 241, 210, 189, 212, 186]); // 蛟河市人民医院
    expect(decodeCsv(Buffer.concat([Buffer.from('sd-1,'), gbk]))).toBe('sd-1,蛟河市人民医院');
    expect(decodeCsv(Buffer.from([0xd7, 0xa1, 0xd4, 0xba, 0xc2, 0xa5]))).toBe('住院楼');
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and LF, and keeps each record\'s line', () => {
    const parsed = parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\nlast,');
    expect(parsed).toEqual({ ok: true, records: [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
      { line: 6, fields: ['last', ''] },
    ] });
  });

  it('refuses an unclosed quote and a stray quote, naming the line', () => {
    expect(parseCsv('a,b\n"open,x\n')).toEqual({ ok: false, line: 2, fault: 'unclosed_quote', message: 'a quoted field is not closed' });
    expect(parseCsv('a,b\nx"y,z\n')).toEqual({ ok: false, line: 2, fault: 'stray_quote', message: 'a quote inside an unquoted field' });
  });
});
