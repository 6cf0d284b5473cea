// The signed-in shell: navigation and pushed notifications.
import { addMessages } from '../i18n';

export const ts = addMessages(
  {
    'nav.label': '功能导航',
    'nav.overview': '一张网总览',
    'nav.desk': '火警处置台',
    'nav.workorders': '故障工单',
    'nav.tickets': '隐患工单',
    'nav.reports': '月度报表',
    'nav.rules': '规则',
    'role.admin': '管理员',
    'role.bureau': '卫健委监管',
    'role.operator': '消防控制室',
    'role.logistics': '后勤设备科',
    'role.safety_manager': '安全管理人',
    'toast.close': '关闭提示',
    'toast.escalated': '火警超时未确认，已升级：{site} {location}',
    'toast.commandFailed': '设备 {device} 未响应指令 {type}',
  },
  {
    'nav.label': 'Navigation',
    'nav.overview': 'Overview',
    'nav.desk': 'Alarm desk',
    'nav.workorders': 'Work orders',
    'nav.tickets': 'Hazard tickets',
    'nav.reports': 'Monthly report',
    'nav.rules': 'Rules',
    'role.admin': 'Administrator',
    'role.bureau': 'Health bureau',
    'role.operator': 'Control room',
    'role.logistics': 'Logistics',
    'role.safety_manager': 'Safety manager',
    'toast.close': 'Dismiss',
    'toast.escalated': 'Alarm unconfirmed, escalated: {site} {location}',
    'toast.commandFailed': 'Device {device} did not answer command {type}',
  },
);
