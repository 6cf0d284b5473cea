// The one line in Chinese a webhook carries beside the notification's kind and data, for systems that show
// only text (a 119 platform's console, an SMS gateway). The dashboard words notifications itself.
import type { Notification } from '../../contracts/notification.js';

export function notificationText(n: Notification): string {
  const where = (location: string, deviceId: string) => location || deviceId;
  switch (n.kind) {
    case 'fire.confirmed':
      return `${n.siteName}：确认火警（${where(n.data.location, n.data.deviceId)}）`;
    case 'alarm.escalated':
      return `${n.siteName}：火警 ${n.data.afterSec} 秒未确认（${where(n.data.location, n.data.deviceId)}）`;
    case 'ticket.escalated':
      return `${n.siteName}：隐患挂牌督办（${n.data.by}）：${n.data.title}`;
    case 'ticket.overdue':
      return `${n.siteName}：隐患${n.data.state === 'reported' ? '登记' : n.data.state === 'registered' || n.data.state === 'rectifying' ? '整改' : n.data.state === 'pending_verification' ? '验收' : '销号审批'}逾期：${n.data.title}`;
    case 'ticket.major_reported':
      return `${n.siteName}：上报重大事故隐患：${n.data.title}`;
    case 'command.failed':
      return `${n.siteName}：设备 ${n.data.deviceId} 未响应指令 ${n.data.command}`;
    case 'report.late':
      return `${n.siteName}：${n.data.month} 月度报表未在 ${n.data.dueDate} 前报送`;
    case 'report.returned':
      return `${n.siteName}：${n.data.month} 月度报表被退回（${n.data.by}）：${n.data.reason}`;
    case 'rule.notify':
      return `${n.siteName}：${n.data.message['zh-CN']}${n.data.deviceId ? `（${n.data.deviceId}）` : ''}`;
  }
}
