// Messages of the work-order view; the category and state labels are also used on the device page.
import { addMessages } from '../i18n';

export const tw = addMessages(
  {
    'workorders.title': '设备故障工单',
    'workorders.showVerified': '显示已验证',
    'workorders.loading': '正在加载工单…',
    'workorders.empty': '没有待处理的故障工单',
    'workorders.col.device': '设备',
    'workorders.col.site': '机构',
    'workorders.col.category': '类别',
    'workorders.col.state': '状态',
    'workorders.col.count': '次数',
    'workorders.col.open': '已持续',
    'workorders.col.assignee': '处理人',
    'workorders.col.actions': '操作',
    'workorders.repaired': '修复用时 {time}',
    'workorders.detail': '故障信息',
    'workorders.note': '备注',
    'workorders.recovered': '设备已恢复正常',

    'workorders.category.offline': '设备离线',
    'workorders.category.battery': '电量低',
    'workorders.category.fault': '设备故障',
    'workorders.category.power': '电源故障',
    'workorders.category.tamper': '设备被拆除',
    'workorders.category.false_alarms': '频繁误报',
    'workorders.category.command_failed': '指令无应答',

    'workorders.state.open': '待派单',
    'workorders.state.assigned': '处理中',
    'workorders.state.fixed': '已修复待验证',
    'workorders.state.verified': '已验证',

    'workorders.assignMe': '派给我',
    'workorders.assignTo': '派给…',
    'workorders.assignee': '处理人姓名',
    'workorders.fix': '已修复',
    'workorders.fixNote': '修复说明（可选）',
    'workorders.verify': '验证通过',
    'workorders.reject': '退回',
    'workorders.othersVerify': '已由您修复，待他人验证',
    'workorders.rejectNote': '退回原因（必填）',
    'workorders.submit': '提交',
    'workorders.cancel': '取消',
    'workorders.needNote': '请填写退回原因',
    'workorders.needAssignee': '请填写处理人',
    'workorders.busy': '处理中…',
    'workorders.readOnly': '只读：您的角色不能处理工单',
    'workorders.system': '系统',
  },
  {
    'workorders.title': 'Device fault work orders',
    'workorders.showVerified': 'Show verified',
    'workorders.loading': 'Loading work orders…',
    'workorders.empty': 'No open work orders',
    'workorders.col.device': 'Device',
    'workorders.col.site': 'Institution',
    'workorders.col.category': 'Category',
    'workorders.col.state': 'State',
    'workorders.col.count': 'Count',
    'workorders.col.open': 'Open for',
    'workorders.col.assignee': 'Assignee',
    'workorders.col.actions': 'Actions',
    'workorders.repaired': 'Repaired in {time}',
    'workorders.detail': 'Fault',
    'workorders.note': 'Note',
    'workorders.recovered': 'Device healthy again',

    'workorders.category.offline': 'Offline',
    'workorders.category.battery': 'Low battery',
    'workorders.category.fault': 'Device fault',
    'workorders.category.power': 'Power fault',
    'workorders.category.tamper': 'Removed / tampered',
    'workorders.category.false_alarms': 'Frequent false alarms',
    'workorders.category.command_failed': 'Command unanswered',

    'workorders.state.open': 'Open',
    'workorders.state.assigned': 'Assigned',
    'workorders.state.fixed': 'Fixed, to verify',
    'workorders.state.verified': 'Verified',

    'workorders.assignMe': 'Assign to me',
    'workorders.assignTo': 'Assign to…',
    'workorders.assignee': 'Assignee name',
    'workorders.fix': 'Fixed',
    'workorders.fixNote': 'What was done (optional)',
    'workorders.verify': 'Verify',
    'workorders.reject': 'Reject',
    'workorders.othersVerify': 'You fixed it: someone else verifies it',
    'workorders.rejectNote': 'Why it is sent back (required)',
    'workorders.submit': 'Submit',
    'workorders.cancel': 'Cancel',
    'workorders.needNote': 'Say why the fix is rejected',
    'workorders.needAssignee': 'Enter an assignee',
    'workorders.busy': 'Working…',
    'workorders.readOnly': 'Read only: your role cannot handle work orders',
    'workorders.system': 'system',
  },
);

type Key = Parameters<typeof tw>[0];

export function categoryLabel(category: string): string {
  const key = `workorders.category.${category}`;
  const text = tw(key as Key);
  return text === key ? category : text;
}

export function workOrderStateLabel(state: string): string {
  const key = `workorders.state.${state}`;
  const text = tw(key as Key);
  return text === key ? state : text;
}
