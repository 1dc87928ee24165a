/* tabwriter.h: column alignment as Go's text/tabwriter does it for kubectl describe
 * (tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)): text is collected line by line with cells
 * separated by '\t'; a cell followed by a tab belongs to a column, and a column's width is set
 * over each run of consecutive lines that have a cell in it (so a line without tabs ends every
 * column block), plus 2 spaces of padding. The last cell of a line is not aligned.
 *
 * Contract: tw_printf appends text (may hold several lines); tw_flush writes the aligned text
 * to f and empties the writer; tw_free releases it. Out of memory drops text silently (the
 * output is a report, not data). */
#ifndef SCALESIM_OUTPUT_TABWRITER_H
#define SCALESIM_OUTPUT_TABWRITER_H

#include <stdio.h>

typedef struct tabwriter {
    char *buf;
    size_t len, cap;
} tabwriter;

void tw_printf(tabwriter *tw, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tw_flush(tabwriter *tw, FILE *f);
void tw_free(tabwriter *tw);

#endif
