/* lg_trace.c: writing the per-second trace CSV (lg_trace.h). */
#include "loadgen/lg_trace.h"

#include <errno.h>
#include <string.h>

/* RFC 4180: a cell with a comma, a quote or a line break is quoted, quotes doubled. */
static void cell(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int lg_trace_open(lg_trace *t, const char *path, const char *const *extra, int nextra,
                  sim_error *err) {
    t->f = fopen(path, "w");
    t->nextra = nextra;
    if (t->f == NULL)
        return error_set(err, "loadgen: --trace %s: cannot create: %s", path, strerror(errno));
    fputs("t_s,rps,sent,completed,failed", t->f);
    for (int i = 0; i < LG_NERR; i++)
        fprintf(t->f, ",%s", lg_err_names[i]);
    fputs(",s1xx,s2xx,s3xx,s4xx,s5xx,s_other,p50_ms,p90_ms,p99_ms,max_ms,in_flight", t->f);
    for (int i = 0; i < nextra; i++)
        fprintf(t->f, ",%s", extra[i]);
    fputc('\n', t->f);
    fflush(t->f);
    return 0;
}

void lg_trace_row(lg_trace *t, int64_t sec, const lg_second *s, const char *const *extra) {
    FILE *f = t->f;
    fprintf(f, "%lld,%llu,%llu,%llu,%llu", (long long)sec, (unsigned long long)s->sent,
            (unsigned long long)s->sent, (unsigned long long)s->completed,
            (unsigned long long)s->failed);
    for (int i = 0; i < LG_NERR; i++)
        fprintf(f, ",%llu", (unsigned long long)s->errors[i]);
    for (int i = 1; i <= 5; i++)
        fprintf(f, ",%llu", (unsigned long long)s->status_class[i]);
    fprintf(f, ",%llu", (unsigned long long)s->status_class[0]);
    if (s->latency.count > 0)
        fprintf(f, ",%.3f,%.3f,%.3f,%.3f", histogram_percentile(&s->latency, 0.5) / 1e3,
                histogram_percentile(&s->latency, 0.9) / 1e3,
                histogram_percentile(&s->latency, 0.99) / 1e3, s->latency.max / 1e3);
    else
        fputs(",,,,", f);
    fprintf(f, ",%lld", (long long)s->in_flight);
    for (int i = 0; i < t->nextra; i++) {
        fputc(',', f);
        if (extra && extra[i])
            cell(f, extra[i]);
    }
    fputc('\n', f);
    fflush(f);
}

int lg_trace_close(lg_trace *t, sim_error *err) {
    if (t->f == NULL)
        return 0;
    int bad = ferror(t->f);
    if (fclose(t->f) != 0 || bad) {
        t->f = NULL;
        return error_set(err, "loadgen: --trace: write failed");
    }
    t->f = NULL;
    return 0;
}
