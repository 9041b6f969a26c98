import type { FeedArticle } from '@tidings/feeds';

const CONTROL = '\u0000\u0001\u0008\u000b\u000c\u001b\u007f\u0085\ufffe\uffff';
const LONE = '\ud800x\udc00';

/** Articles built to break feeds: illegal characters, CDATA terminators, markup in text, script in HTML. */
export const hostileArticles: FeedArticle[] = [
  {
    id: 'https://example.gov.cn/news/1.html',
    url: 'https://example.gov.cn/news/1.html',
    title: `控制${CONTROL}字符 ]]> 和 ]]> 两次 ${LONE}`,
    publishedAt: '2024-12-04T09:00:00+08:00',
    datePrecision: 'minute',
    summary: `摘要 ]]> ]]]]><![CDATA[> ${CONTROL}`,
    contentText: '正文 ]]> 再一次 ]]>',
    contentHtml: '<p>正文 ]]&gt; 再一次 ]]&gt;</p><p><![CDATA[ ]]></p>',
    images: [],
    attachments: [],
    section: '测试',
    language: 'zh-CN',
  },
  {
    id: 'https://example.gov.cn/news/2.html',
    url: 'https://example.gov.cn/news/2.html',
    title: '<img src=x onerror=alert(1)> & <script>alert("t")</script> 标题 &amp; &lt;b&gt;',
    publishedAt: '2024-12-03T23:59:59+08:00',
    datePrecision: 'second',
    summary: '<script>alert(1)</script> 摘要 "quoted" \'single\'',
    contentText: 'text',
    contentHtml:
      '<p onclick="alert(1)">点击<a href="javascript:alert(1)">链接</a><a href=" JAVASCRIPT:alert(2)">二</a>' +
      '<img src="x.png" onerror="alert(1)"><script>alert(3)</script><iframe src="https://evil.example/"></iframe>' +
      '<svg><script>alert(4)</script></svg><a href="data:text/html,<script>alert(5)</script>">数据</a>' +
      '<style>body{display:none}</style><form action="https://evil.example/"><input name=x></form></p>',
    images: [{ url: 'javascript:alert(1)' }],
    attachments: [{ url: 'https://example.gov.cn/a.pdf', title: '附件 <b>', mimeType: 'application/pdf' }],
    author: '作者 <i>',
    language: 'zh-CN',
  },
  {
    id: 'not a url: 标识 3',
    title: 'Emoji 👨‍👩‍👧‍👦 🇨🇳 e\u0301 \u202eRTL\u202c and entities &nbsp; &#0; &#xD800;',
    publishedAt: '2024-12-01T00:00:00Z',
    datePrecision: 'day',
    summary: '',
    contentText: '',
    contentHtml: '',
    images: [],
    attachments: [],
    language: 'zh-CN',
  },
  {
    id: 'https://example.gov.cn/news/4.html',
    url: '/news/4.html',
    title: '相对链接',
    publishedAt: '2024-11-30T08:30:00+08:00',
    datePrecision: 'minute',
    summary: '相对链接与图片',
    contentText: '图',
    contentHtml: '<p><img src="/img/4.jpg" alt="图"><a href="../x.html">相对</a></p>',
    images: [{ url: 'https://example.gov.cn/img/4.jpg', alt: '图' }],
    attachments: [],
    language: 'zh-CN',
  },
];
