/* Text helpers shared by every layer: UTF-8 validation and Go-style
 * quoting for messages. */
#include "base/nv_text.h"

#include <stdbool.h>
#include <string.h>

size_t nv_utf8_seq(const unsigned char *p, size_t avail)
{
  unsigned char c = p[0];
  unsigned char lo = 0x80, hi = 0xBF;
  size_t n;
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0; /* overlong */
    else if (c == 0xED)
      hi = 0x9F; /* U+D800..U+DFFF */
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90; /* overlong */
    else if (c == 0xF4)
      hi = 0x8F; /* above U+10FFFF */
  } else {
    return 0; /* continuation byte, C0, C1, F5..FF */
  }
  if (avail < n)
    return 0;
  if (p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  return n;
}

bool nv_utf8_valid(const void *s, size_t n)
{
  const unsigned char *p = s;
  for (size_t i = 0; i < n;) {
    size_t k = nv_utf8_seq(p + i, n - i);
    if (k == 0)
      return false;
    i += k;
  }
  return true;
}

void nv_quote_go(char *buf, size_t size, size_t *len, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  if (buf == NULL || size == 0 || len == NULL || *len >= size)
    return;
  size_t o = *len;
  /* Room kept for the worst ending: ...", and the NUL. */
  const size_t reserve = 5;
  if (o + reserve + 1 > size) {
    buf[o] = '\0';
    return;
  }
  buf[o++] = '"';
  const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
  size_t n = strlen((const char *)p);
  bool cut = false;
  for (size_t i = 0; i < n;) {
    char esc[8];
    size_t k = 0, adv = 1;
    unsigned char c = p[i];
    switch (c) {
    case '"': esc[k++] = '\\'; esc[k++] = '"'; break;
    case '\\': esc[k++] = '\\'; esc[k++] = '\\'; break;
    case '\a': esc[k++] = '\\'; esc[k++] = 'a'; break;
    case '\b': esc[k++] = '\\'; esc[k++] = 'b'; break;
    case '\f': esc[k++] = '\\'; esc[k++] = 'f'; break;
    case '\n': esc[k++] = '\\'; esc[k++] = 'n'; break;
    case '\r': esc[k++] = '\\'; esc[k++] = 'r'; break;
    case '\t': esc[k++] = '\\'; esc[k++] = 't'; break;
    case '\v': esc[k++] = '\\'; esc[k++] = 'v'; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        esc[k++] = '\\';
        esc[k++] = 'x';
        esc[k++] = hex[c >> 4];
        esc[k++] = hex[c & 0xF];
      } else if (c < 0x80) {
        esc[k++] = (char)c;
      } else if ((adv = nv_utf8_seq(p + i, n - i)) == 0) {
        adv = 1;
        esc[k++] = '\\';
        esc[k++] = 'x';
        esc[k++] = hex[c >> 4];
        esc[k++] = hex[c & 0xF];
      } else {
        memcpy(esc, p + i, adv);
        k = adv;
      }
    }
    if (o + k + reserve > size) {
      cut = true;
      break;
    }
    memcpy(buf + o, esc, k);
    o += k;
    i += adv;
  }
  if (cut) {
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o++] = '"';
  buf[o] = '\0';
  *len = o;
}

int nv_hex_value(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}
