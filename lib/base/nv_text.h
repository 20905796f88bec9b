/* Text helpers shared by every layer. */
#ifndef NV_BASE_TEXT_H
#define NV_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at p (at most `avail` bytes), or 0.
 * Strict: no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF
 * (Unicode 15, table 3-7). `avail` must be at least 1. */
size_t nv_utf8_seq(const unsigned char *p, size_t avail);

/* The value of one hexadecimal digit (either case), or -1. */
int nv_hex_value(int c);

/* The whole of `n` bytes is valid UTF-8. */
bool nv_utf8_valid(const void *s, size_t n);

/* Append `s` to buf (at *len, size bytes, always NUL-terminated) quoted as
 * Go's %q does: "..." with \" \\ \a \b \f \n \r \t \v and \xNN escapes.
 * Output that does not fit is cut at a character boundary. Messages that
 * mirror notation-go's quote names this way. */
void nv_quote_go(char *buf, size_t size, size_t *len, const char *s);

#endif /* NV_BASE_TEXT_H */
