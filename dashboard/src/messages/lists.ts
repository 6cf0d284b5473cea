// How long a list is and the rest of it on request, in the same words on every paged list (paging.ts).
import { addMessages } from '../i18n';

const tl = addMessages(
  {
    'list.count': '共 {total} 条',
    'list.countOf': '显示 {n} 条，共 {total} 条',
    'list.more': '再加载 {n} 条',
    'list.loadingMore': '正在加载…',
  },
  {
    'list.count': '{total} in all',
    'list.countOf': '{n} of {total} shown',
    'list.more': 'Load {n} more',
    'list.loadingMore': 'Loading…',
  },
);

/** "显示 500 条，共 505 条" while some are not loaded, "共 505 条" once all are. */
export function listCount(shown: number, total: number): string {
  return total > shown ? tl('list.countOf', { n: shown, total }) : tl('list.count', { total });
}

export { tl };
