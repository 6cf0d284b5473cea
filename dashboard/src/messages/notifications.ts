// Notifications the platform pushes (a kind and its data), worded here in the viewer's language.
import { addMessages, lang } from '../i18n';
import type { Notification } from '../types';
import { ticketTitle } from '../components/tickets/model';
import { stageName } from './oversight';

const tn = addMessages(
  {
    'note.fire.confirmed': '{site}：确认火警（{where}）',
    'note.alarm.escalated': '{site}：火警 {sec} 秒未确认，已升级（{where}）',
    'note.ticket.escalated': '{site}：隐患挂牌督办（{by}）：{title}',
    'note.ticket.overdue': '{site}：隐患整改逾期：{title}',
    'note.ticket.overdueStage': '{site}：隐患{stage}逾期：{title}',
    'note.ticket.major_reported': '{site}：上报重大事故隐患：{title}',
    'note.command.failed': '{site}：设备 {device} 未响应指令“{command}”',
    'note.rule.notify': '{site}：{message}',
    'note.rule.device': '（{device}）',
    'note.report.late': '{site}：{month} 月度报表未在 {due} 前报送',
    'note.report.returned': '{site}：{month} 月度报表被退回（{by}）：{reason}',
    'note.unknown': '{site}：新通知',
    'command.power_off': '断电',
    'command.power_on': '恢复供电',
    'command.lock': '上锁',
    'command.unlock': '开锁',
    'command.reset': '复位',
    'command.silence': '消音',
    'command.self_test': '自检',
  },
  {
    'note.fire.confirmed': '{site}: fire confirmed ({where})',
    'note.alarm.escalated': '{site}: alarm unconfirmed after {sec} s, escalated ({where})',
    'note.ticket.escalated': '{site}: hazard put under supervision ({by}): {title}',
    'note.ticket.overdue': '{site}: hazard rectification overdue: {title}',
    'note.ticket.overdueStage': '{site}: hazard {stage} overdue: {title}',
    'note.ticket.major_reported': '{site}: major hazard reported: {title}',
    'note.command.failed': '{site}: device {device} did not answer the "{command}" command',
    'note.rule.notify': '{site}: {message}',
    'note.rule.device': ' ({device})',
    'note.report.late': '{site}: monthly report for {month} not submitted by {due}',
    'note.report.returned': '{site}: monthly report for {month} returned ({by}): {reason}',
    'note.unknown': '{site}: new notification',
    'command.power_off': 'power off',
    'command.power_on': 'power on',
    'command.lock': 'lock',
    'command.unlock': 'unlock',
    'command.reset': 'reset',
    'command.silence': 'silence',
    'command.self_test': 'self-test',
  },
);

/** A downlink command's name in the viewer's language; an unknown one as sent. */
export function commandName(type: string): string {
  const key = `command.${type}`;
  const text = tn(key as Parameters<typeof tn>[0]);
  return text === key ? type : text;
}

/** A rule's own words (typed by an admin) in the viewer's language, the Chinese when it has no English. */
export function pickText(text: { 'zh-CN': string; en: string | null }): string {
  return lang.value === 'en' && text.en ? text.en : text['zh-CN'];
}

/** One line for a notification, in the viewer's language. */
export function notificationText(n: Notification): string {
  const site = n.siteName;
  switch (n.kind) {
    case 'fire.confirmed':
      return tn('note.fire.confirmed', { site, where: n.data.location || n.data.deviceId });
    case 'alarm.escalated':
      return tn('note.alarm.escalated', { site, sec: n.data.afterSec, where: n.data.location || n.data.deviceId });
    case 'ticket.escalated':
      return tn('note.ticket.escalated', { site, by: n.data.by, title: ticketTitle(n.data) });
    case 'ticket.overdue':
      return n.data.state === 'registered' || n.data.state === 'rectifying' || !n.data.state
        ? tn('note.ticket.overdue', { site, title: ticketTitle(n.data) })
        : tn('note.ticket.overdueStage', { site, stage: stageName(n.data.state), title: ticketTitle(n.data) });
    case 'ticket.major_reported':
      return tn('note.ticket.major_reported', { site, title: ticketTitle(n.data) });
    case 'command.failed':
      return tn('note.command.failed', { site, device: n.data.deviceId, command: commandName(n.data.command) });
    case 'rule.notify':
      return tn('note.rule.notify', { site, message: pickText(n.data.message) }) + (n.data.deviceId ? tn('note.rule.device', { device: n.data.deviceId }) : '');
    case 'report.late':
      return tn('note.report.late', { site, month: n.data.month, due: n.data.dueDate });
    case 'report.returned':
      return tn('note.report.returned', { site, month: n.data.month, by: n.data.by, reason: n.data.reason });
    default:
      return tn('note.unknown', { site });
  }
}
