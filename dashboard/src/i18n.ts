import { ref } from 'vue';
import { ApiError } from './api';

export type Lang = 'zh-CN' | 'en';

const LANG_KEY = 'firenet.lang';

const zhCN = {
  'app.name': 'FireNet 智慧消防云',
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
  'family.charging_station': '充电桩',
  'family.hazmat_cabinet': '危化品柜',

  'type.smoke.alarm': '烟感火警',
  'type.fire.alarm': '火灾报警控制器火警',

  'status.new': '新警情',
  'status.acknowledged': '已受理',
  'status.confirmed': '已确认',
  'status.closed': '已关闭',

  'error.network': '无法连接服务器，请检查网络。',
  'error.status': '请求失败（{status}）',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  'app.name': 'FireNet Fire Safety Cloud',
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
  'family.charging_station': 'Charging station',
  'family.hazmat_cabinet': 'Hazardous-chemical cabinet',

  'type.smoke.alarm': 'Smoke alarm',
  'type.fire.alarm': 'Fire panel alarm',

  'status.new': 'New',
  'status.acknowledged': 'Acknowledged',
  'status.confirmed': 'Confirmed',
  'status.closed': 'Closed',

  'error.network': 'Cannot reach the server. Check the network.',
  'error.status': 'Request failed ({status})',
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

/** What to tell the user about a failed call: the server's own message when it gave one. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    return error.message || t('error.status', { status: error.status });
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
