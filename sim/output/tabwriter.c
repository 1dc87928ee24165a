/* tabwriter.c: see tabwriter.h. The block rule follows Go's text/tabwriter format(): for
 * column c, consecutive lines with more than c+1 cells form a block whose width is the widest
 * cell c of the block plus the padding; inside that block column c+1 is formatted the same way. */
#include "sim/output/tabwriter.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PADDING 2

void tw_printf(tabwriter *tw, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *text = tmp;
    char *big = NULL;
    if ((size_t)n >= sizeof tmp) {
        big = malloc((size_t)n + 1);
        if (big == NULL)
            return;
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        text = big;
    }
    if (tw->len + (size_t)n + 1 > tw->cap) {
        size_t cap = tw->cap ? tw->cap : 1024;
        while (cap < tw->len + (size_t)n + 1)
            cap *= 2;
        char *b = realloc(tw->buf, cap);
        if (b == NULL) {
            free(big);
            return;
        }
        tw->buf = b;
        tw->cap = cap;
    }
    memcpy(tw->buf + tw->len, text, (size_t)n);
    tw->len += (size_t)n;
    tw->buf[tw->len] = 0;
    free(big);
}

typedef struct line {
    const char *cell[16];
    int len[16];
    int n; /* cells; the last is not tab-terminated */
} line;

static void widths(line *ls, int from, int to, int col, int *w /* per line per col */) {
    int i = from;
    while (i < to) {
        if (ls[i].n <= col + 1) {
            i++;
            continue;
        }
        int j = i, width = 0;
        while (j < to && ls[j].n > col + 1) {
            if (ls[j].len[col] > width)
                width = ls[j].len[col];
            j++;
        }
        for (int k = i; k < j; k++)
            w[k * 16 + col] = width + PADDING;
        widths(ls, i, j, col + 1, w);
        i = j;
    }
}

void tw_flush(tabwriter *tw, FILE *f) {
    if (tw->len == 0)
        return;
    int nlines = 0;
    for (size_t i = 0; i < tw->len; i++)
        nlines += tw->buf[i] == '\n';
    if (tw->buf[tw->len - 1] != '\n')
        nlines++;
    line *ls = calloc((size_t)nlines, sizeof *ls);
    int *w = calloc((size_t)nlines * 16, sizeof *w);
    if (ls == NULL || w == NULL) {
        fputs(tw->buf, f);
        free(ls);
        free(w);
        tw->len = 0;
        return;
    }
    int li = 0;
    char *p = tw->buf;
    while (li < nlines) {
        char *end = strchr(p, '\n');
        if (end == NULL)
            end = tw->buf + tw->len;
        line *l = &ls[li];
        char *c = p;
        while (l->n < 15) {
            char *tab = memchr(c, '\t', (size_t)(end - c));
            if (tab == NULL)
                break;
            l->cell[l->n] = c;
            l->len[l->n] = (int)(tab - c);
            l->n++;
            c = tab + 1;
        }
        l->cell[l->n] = c;
        l->len[l->n] = (int)(end - c);
        l->n++;
        li++;
        p = end + 1;
    }
    widths(ls, 0, nlines, 0, w);
    for (int i = 0; i < nlines; i++) {
        for (int c = 0; c < ls[i].n; c++) {
            fwrite(ls[i].cell[c], 1, (size_t)ls[i].len[c], f);
            if (c < ls[i].n - 1)
                for (int k = ls[i].len[c]; k < w[i * 16 + c]; k++)
                    fputc(' ', f);
        }
        fputc('\n', f);
    }
    free(ls);
    free(w);
    tw->len = 0;
}

void tw_free(tabwriter *tw) {
    free(tw->buf);
    memset(tw, 0, sizeof *tw);
}
