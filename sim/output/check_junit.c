/* check_junit.c: see check_junit.h. The element and attribute names follow the JUnit XML
 * schema CI systems share (testsuites/testsuite/testcase/failure/error, with name, tests,
 * failures, errors, classname, message and type attributes). */
#include "sim/output/check_junit.h"

static void xml_text(FILE *f, const char *s) {
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        default:
            /* XML 1.0 allows no control characters but tab, newline and carriage return. */
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                fputc('?', f);
            else
                fputc(*p, f);
        }
    }
}

static void counts(const check_suite *s, size_t *fail, size_t *error) {
    for (size_t i = 0; i < s->n; i++) {
        *fail += s->cases[i].status == CHECK_CASE_FAILED;
        *error += s->cases[i].status == CHECK_CASE_ERROR;
    }
}

int check_junit_write(FILE *f, const check_suite *suites, size_t n) {
    size_t tests = 0, fail = 0, error = 0;
    for (size_t i = 0; i < n; i++) {
        tests += suites[i].n;
        counts(&suites[i], &fail, &error);
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f,
            "<testsuites name=\"scalesim check\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
            tests, fail, error);
    for (size_t i = 0; i < n; i++) {
        const check_suite *s = &suites[i];
        size_t sf = 0, se = 0;
        counts(s, &sf, &se);
        fputs("  <testsuite name=\"", f);
        xml_text(f, s->name);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"0\"",
                s->n, sf, se);
        if (s->file) {
            fputs(" file=\"", f);
            xml_text(f, s->file);
            fputc('"', f);
        }
        fputs(">\n", f);
        for (size_t j = 0; j < s->n; j++) {
            const check_case *c = &s->cases[j];
            fputs("    <testcase name=\"", f);
            xml_text(f, c->name);
            fputs("\" classname=\"scalesim.", f);
            xml_text(f, s->name);
            fputs("\" time=\"0\"", f);
            if (c->status == CHECK_CASE_PASSED) {
                if (c->message) {
                    fputs(">\n      <system-out>", f);
                    xml_text(f, c->message);
                    fputs("</system-out>\n    </testcase>\n", f);
                } else {
                    fputs("/>\n", f);
                }
                continue;
            }
            const char *tag = c->status == CHECK_CASE_FAILED ? "failure" : "error";
            fprintf(f, ">\n      <%s message=\"", tag);
            xml_text(f, c->message);
            fprintf(f, "\" type=\"%s\">",
                    c->status == CHECK_CASE_FAILED ? "AssertionFailed" : "CannotEvaluate");
            xml_text(f, c->message);
            fprintf(f, "</%s>\n    </testcase>\n", tag);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    fflush(f);
    return ferror(f) ? -1 : 0;
}
