// The overview map's two colourings: the worst open hazard (隐患) or the worst registered risk point (风险清单).
import { addMessages } from '../i18n';

export const tm = addMessages(
  {
    'mc.label': '地图着色',
    'mc.hazards': '按未整改隐患',
    'mc.risk': '按风险清单',
    'mc.noneRegistered': '未登记风险点',
    'mc.hint.risk': '点击区域逐级下钻；颜色为辖区内登记风险点的最高风险等级',
    'mc.tooltip.registered': '风险清单：{level}',
    'mc.tooltip.hazards': '未整改隐患：{level}',
  },
  {
    'mc.label': 'Map colour',
    'mc.hazards': 'By open hazards',
    'mc.risk': 'By risk register',
    'mc.noneRegistered': 'No risk points registered',
    'mc.hint.risk': 'Click a region to drill down; colour = worst registered risk point below it',
    'mc.tooltip.registered': 'Risk register: {level}',
    'mc.tooltip.hazards': 'Open hazards: {level}',
  },
);
