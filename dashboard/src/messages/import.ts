// The device import's refusals (POST /api/devices/import, 400 import.invalid_rows), worded in the viewer's language
// from each problem's code and values; the server's English message is for API users and is not shown.
import { addMessages, label } from '../i18n';
import type { ImportProblem, ImportProblemCode } from '../../../contracts/device-import';

const problems = {
  zh: {
    'csv.unclosed_quote': '引号没有闭合（从这一行开始）',
    'csv.text_after_quote': '右引号之后还有文字',
    'csv.stray_quote': '未加引号的字段中出现了引号',
    'file.empty': '文件是空的：第一行应为表头 {columns}',
    'file.no_devices': '表头之后没有设备',
    'file.too_many_rows': '每个文件最多 {max} 台设备',
    'column.unknown': '未知的列“{value}”；可用的列：{columns}',
    'column.missing': '缺少必填的列',
    'row.field_count': '这一行有 {found} 个字段，表头有 {expected} 个',
    'value.required': '必填，不能为空',
    'value.too_long': '超过 {max} 个字符',
    'value.bad_id': '“{value}”含有不允许的字符：只能用字母、数字、“.”、“_”和“-”，并以字母或数字开头',
    'value.unknown_family': '未知的设备类型“{value}”；可填：{allowed}',
    'value.not_integer': '“{value}”不是整数',
    'value.too_small': '{value} 小于最小值 {min}',
    'value.too_large': '{value} 大于最大值 {max}',
    'value.invalid': '“{value}”无效',
    'id.duplicate': '设备编号 {value} 与第 {firstLine} 行重复',
    'id.exists': '设备 {value} 已经存在',
    'institution.unknown': '没有编号为 {value} 的机构',
    'gb_address.required': '用户信息传输装置须填写 GB/T 26875.3 地址（12 位十六进制数，高位在前）',
    'gb_address.not_allowed': '只有用户信息传输装置有 GB/T 26875.3 地址',
    'gb_address.duplicate': '地址 {value} 与第 {firstLine} 行重复',
    'gb_address.exists': '地址 {value} 已属于另一台设备',
  },
  en: {
    'csv.unclosed_quote': 'A quoted field is not closed (it starts on this line)',
    'csv.text_after_quote': 'Text after a closing quote',
    'csv.stray_quote': 'A quote inside a field that is not quoted',
    'file.empty': 'The file is empty: the first line is the header {columns}',
    'file.no_devices': 'No devices after the header',
    'file.too_many_rows': 'At most {max} devices per file',
    'column.unknown': 'Unknown column "{value}"; the columns are {columns}',
    'column.missing': 'A required column is missing',
    'row.field_count': 'This line has {found} fields, the header {expected}',
    'value.required': 'Required: may not be empty',
    'value.too_long': 'Longer than {max} characters',
    'value.bad_id': '"{value}" has characters not allowed: letters, digits, ".", "_" and "-" only, starting with a letter or digit',
    'value.unknown_family': 'Unknown device type "{value}"; one of: {allowed}',
    'value.not_integer': '"{value}" is not a whole number',
    'value.too_small': '{value} is below the least allowed, {min}',
    'value.too_large': '{value} is above the most allowed, {max}',
    'value.invalid': '"{value}" is not valid',
    'id.duplicate': 'Device id {value} is on line {firstLine} already',
    'id.exists': 'Device {value} exists already',
    'institution.unknown': 'No institution with the id {value}',
    'gb_address.required': 'A transmission device needs its GB/T 26875.3 address (12 hex digits, most significant first)',
    'gb_address.not_allowed': 'Only a transmission device has a GB/T 26875.3 address',
    'gb_address.duplicate': 'Address {value} is on line {firstLine} already',
    'gb_address.exists': 'Address {value} belongs to another device already',
  },
} satisfies Record<'zh' | 'en', Record<ImportProblemCode, string>>;

const prefixed = (table: Record<ImportProblemCode, string>) =>
  Object.fromEntries(Object.entries(table).map(([code, text]) => [`importProblem.${code}`, text])) as Record<`importProblem.${ImportProblemCode}`, string>;

const ti = addMessages(
  { ...prefixed(problems.zh), 'import.summary': '共 {n} 个问题，在第 {lines} 行', 'import.family': '{id}（{name}）', 'import.listSep': '、' },
  { ...prefixed(problems.en), 'import.summary': '{n} problem(s), on line(s) {lines}', 'import.family': '{id} ({name})', 'import.listSep': ', ' },
);

/** One refused row's problem in the viewer's language; a code this dashboard does not know shows the server's message. */
export function importProblemText(p: ImportProblem): string {
  if (!(p.code in problems.zh)) return p.message;
  const params = { ...p.params };
  // the device types to choose from: the identifier the file must hold, and what it is
  if (typeof params.allowed === 'string') {
    params.allowed = params.allowed.split(',').map((id) => ti('import.family', { id, name: label('family', id) })).join(ti('import.listSep'));
  }
  return ti(`importProblem.${p.code}`, params);
}

/** "3 problems, on line(s) 2, 5" for a refused file. */
export function importSummary(rows: readonly ImportProblem[]): string {
  const lines = [...new Set(rows.map((r) => r.line))];
  return ti('import.summary', { n: rows.length, lines: lines.join(ti('import.listSep')) });
}
