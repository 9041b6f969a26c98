/**
 * An XSLT 1.0 stylesheet for RSS 2.0 and Atom 1.0 feeds, so that a person who opens a feed URL
 * in a browser sees a readable page that tells them to copy the URL into a reader, rather than
 * raw XML. Serve it (e.g. at `/feed.xsl`, as `text/xsl`) and set `channel.stylesheet` to its URL.
 * It never disables output escaping: feed text stays text.
 */
export const feedStylesheet = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="(rss/channel/title | atom:feed/atom:title)[1]"/>
    <xsl:variable name="home" select="(rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href)[1]"/>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/>（订阅源）</title>
        <style>
          body { font: 16px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
          .hint { background: #fff6d6; border: 1px solid #e8d48a; border-radius: 6px; padding: .75rem 1rem; }
          li { margin: .9rem 0; } time { color: #666; font-size: .9em; margin-left: .5em; }
          a { color: #0b57d0; }
          @media (prefers-color-scheme: dark) { body { background: #121212; color: #e6e6e6; } .hint { background: #3a3320; border-color: #6b5d2a; } a { color: #8ab4f8; } }
        </style>
      </head>
      <body>
        <p class="hint">这是一个订阅源（RSS/Atom）。请复制地址栏中的网址，粘贴到您的阅读器中订阅。<br/>
          This is a web feed. Copy the URL from the address bar into your news reader to subscribe.</p>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="(rss/channel/description | atom:feed/atom:subtitle)[1]"/></p>
        <p><a href="{$home}">访问原网页 / Visit the source page</a></p>
        <ul>
          <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        </ul>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li><a href="{link}"><xsl:value-of select="title"/></a><time><xsl:value-of select="pubDate"/></time></li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a><time><xsl:value-of select="substring(atom:published, 1, 10)"/></time></li>
  </xsl:template>
</xsl:stylesheet>
`;
