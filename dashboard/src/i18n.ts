import { ref } from 'vue';
import { ApiError } from './api';

export type Lang = 'zh-CN' | 'en';

const LANG_KEY = 'firenet.lang';

const zhCN = {
  'app.name': 'FireNet 医安云',
  'app.tagline': '卫生健康系统消防安全一张网',

  'lang.label': '语言',

  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.expired': '登录已失效，请重新登录。',

  'session.user': '当前用户',
  'session.logout': '退出登录',

  'link.connecting': '正在连接…',
  'link.live': '实时',
  'link.reconnecting': '重连中…',

  'family.smoke_detector': '独立式感烟探测器',
  'family.fire_panel': '火灾报警控制器',
  'family.charging_station': '电动自行车充电设施',
  'family.hazmat_cabinet': '危化品柜',
  'family.transmission_device': '用户信息传输装置',

  'type.smoke.alarm': '烟感火警',
  'type.fire.alarm': '火灾报警控制器火警',
  'type.charger.smoke': '充电桩冒烟',

  'status.new': '新警情',
  'status.acknowledged': '已受理',
  'status.confirmed': '已确认',
  'status.closed': '已关闭',

  'error.network': '无法连接服务器，请检查网络。',
  'error.status': '请求失败（{status}）',

  // API errors, by the stable code the server sends (its English message is for API users)
  'apiError.auth.wrong_credentials': '用户名或密码错误',
  'apiError.auth.locked': '该账号登录失败次数过多，请 {minutes} 分钟后再试',
  'apiError.auth.too_many_attempts': '登录请求过于频繁，请 {seconds} 秒后再试',
  'apiError.auth.disabled': '此账号已停用，请联系管理员',
  'apiError.auth.refresh_refused': '登录已失效，请重新登录',
  'apiError.auth.token_invalid': '登录已失效，请重新登录',
  'apiError.auth.required': '请先登录',
  'apiError.role.forbidden': '您的角色无权执行此操作',
  'apiError.token.person_only': 'API 令牌不能执行此操作，请以个人账号登录',
  'apiError.token.read_only': '此 API 令牌为只读',
  'apiError.region.outside_scope': '区域 {region} 不在您的管辖范围（{yours}）内',
  'apiError.invalid_field': '提交的内容有误（{field}）',
  'apiError.bad_request': '请求有误',
  'apiError.unauthorized': '请先登录',
  'apiError.forbidden': '无权执行此操作',
  'apiError.not_found': '记录不存在或不在您的范围内',
  'apiError.no_route': '记录不存在或不在您的范围内',
  'apiError.conflict': '记录已被他人更改，请刷新后重试',
  'apiError.verify.own_work': '由您修复或整改的，须由其他人员验收',
  'apiError.too_large': '文件过大',
  'apiError.unsupported_type': '不支持的文件类型',
  'apiError.too_many_requests': '请求过于频繁，请稍后再试',
  'apiError.internal': '服务器内部错误，请稍后再试',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  'app.name': 'FireNet',
  'app.tagline': 'Health-system fire safety, one network',

  'lang.label': 'Language',

  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.expired': 'Your session has ended. Please sign in again.',

  'session.user': 'Signed in as',
  'session.logout': 'Log out',

  'link.connecting': 'Connecting…',
  'link.live': 'Live',
  'link.reconnecting': 'Reconnecting…',

  'family.smoke_detector': 'Smoke detector',
  'family.fire_panel': 'Fire alarm control panel',
  'family.charging_station': 'E-bike charging station',
  'family.hazmat_cabinet': 'Hazardous-chemical cabinet',
  'family.transmission_device': 'User information transmission device',

  'type.smoke.alarm': 'Smoke alarm',
  'type.fire.alarm': 'Fire panel alarm',
  'type.charger.smoke': 'Charging station smoke',

  'status.new': 'New',
  'status.acknowledged': 'Acknowledged',
  'status.confirmed': 'Confirmed',
  'status.closed': 'Closed',

  'error.network': 'Cannot reach the server. Check the network.',
  'error.status': 'Request failed ({status})',

  'apiError.auth.wrong_credentials': 'Wrong username or password',
  'apiError.auth.locked': 'Too many failed sign-ins for this account: try again in {minutes} min',
  'apiError.auth.too_many_attempts': 'Too many sign-in attempts: try again in {seconds} s',
  'apiError.auth.disabled': 'This account is disabled: ask an administrator',
  'apiError.auth.refresh_refused': 'Your session has ended: sign in again',
  'apiError.auth.token_invalid': 'Your session has ended: sign in again',
  'apiError.auth.required': 'Sign in first',
  'apiError.role.forbidden': 'Your role may not do this',
  'apiError.token.person_only': 'API tokens may not do this: sign in as a person',
  'apiError.token.read_only': 'This API token is read-only',
  'apiError.region.outside_scope': 'Region {region} is outside your region ({yours})',
  'apiError.invalid_field': 'Something entered is not valid ({field})',
  'apiError.bad_request': 'The request is not valid',
  'apiError.unauthorized': 'Sign in first',
  'apiError.forbidden': 'You may not do this',
  'apiError.not_found': 'Not found, or outside what you may see',
  'apiError.no_route': 'Not found, or outside what you may see',
  'apiError.conflict': 'Someone else changed this meanwhile: reload and try again',
  'apiError.verify.own_work': 'You fixed or rectified this: someone else verifies it',
  'apiError.too_large': 'The file is too large',
  'apiError.unsupported_type': 'This file type is not supported',
  'apiError.too_many_requests': 'Too many requests: try again shortly',
  'apiError.internal': 'Server error: try again shortly',
};

const catalogs: Record<Lang, Record<string, string>> = { 'zh-CN': { ...zhCN }, en: { ...en } };

/**
 * Each view keeps its own messages (src/messages/<view>.ts) and registers them here, so views
 * can grow without touching one shared table. Keys are namespaced by the view ("desk.ack").
 */
export function addMessages<K extends string>(zh: Record<K, string>, english: Record<K, string>): (key: K, params?: Record<string, string | number>) => string {
  Object.assign(catalogs['zh-CN'], zh);
  Object.assign(catalogs.en, english);
  return (key, params) => translate(key, params);
}

function translate(key: string, params?: Record<string, string | number>): string {
  const text = catalogs[lang.value][key] ?? catalogs['zh-CN'][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
}

export const lang = ref<Lang>(storedLang());

export function setLang(next: Lang): void {
  lang.value = next;
  try {
    localStorage.setItem(LANG_KEY, next);
  } catch {
    /* the choice then lasts for the page only */
  }
}

/** Reactive in templates and computed values: it reads `lang`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(key, params);
}

/** Label for a value the server sends (family, type, status); unknown values show as sent. */
export function label(group: 'family' | 'type' | 'status', value: string): string {
  const key = `${group}.${value}`;
  return key in zhCN ? t(key as MessageKey) : value;
}

/**
 * What to tell the user about a failed call, in their language: the server sends a stable code (and the values to
 * word it), never words for people; its English `message` is for API users and is not shown.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    const body = (error.body ?? {}) as { code?: unknown; params?: Record<string, unknown>; fields?: { field?: unknown }[] };
    const code = typeof body.code === 'string' ? body.code : '';
    const key = `apiError.${code}`;
    // codes of a view's own (messages/<view>.ts registers them with addMessages) count too
    if (code && key in catalogs['zh-CN']) {
      const p = body.params ?? {};
      const seconds = Number(p.retryAfterSec ?? 0);
      return translate(key, {
        ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])),
        region: String(p.region ?? ''), yours: String(p.yours ?? ''),
        seconds, minutes: Math.max(1, Math.ceil(seconds / 60)),
        field: String(body.fields?.[0]?.field ?? ''),
      });
    }
    return t('error.status', { status: error.status });
  }
  return t('error.network');
}

function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}
