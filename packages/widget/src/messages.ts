/** The element's own words: Chinese for any `zh` language, English otherwise. */
export interface Messages {
  loading: string;
  empty: string;
  /** Precedes the link to the source page (English ends with a space). */
  error: string;
  source: string;
}

const zh: Messages = {
  loading: '正在加载…',
  empty: '暂无内容',
  error: '无法加载订阅源。',
  source: '查看来源页面',
};
const en: Messages = {
  loading: 'Loading…',
  empty: 'No items yet',
  error: 'Could not load the feed. ',
  source: 'Open the source page',
};

export function messages(lang: string): Messages {
  return /^zh\b/i.test(lang) ? zh : en;
}
