/* cu.c: see cu.h. */
#include "cu.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int registry_ready;

void cu_add_suite(const char *name, const cu_test *tests) {
    if (!registry_ready) {
        if (CU_initialize_registry() != CUE_SUCCESS) {
            fprintf(stderr, "CUnit: cannot initialize registry\n");
            exit(2);
        }
        registry_ready = 1;
    }
    CU_pSuite suite = CU_add_suite(name, NULL, NULL);
    for (const cu_test *t = tests; t->name; t++)
        CU_add_test(suite, t->name, t->fn);
}

int cu_run_all(void) {
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned run = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return (failed == 0 && run > 0) ? 0 : 1;
}

const char *cu_src_path(const char *relative) {
    static char buf[4096];
    const char *src = getenv("SRC");
    snprintf(buf, sizeof buf, "%s/%s", src ? src : ".", relative);
    return buf;
}

const char *cu_scalesim(void) {
    return getenv("SCALESIM");
}

int cu_run_capture(const char *command, char *out, size_t cap) {
    char full[8192];
    snprintf(full, sizeof full, "%s 2>&1", command);
    FILE *p = popen(full, "r");
    if (p == NULL)
        return -1;
    size_t n = 0;
    if (cap > 0) {
        n = fread(out, 1, cap - 1, p);
        out[n] = '\0';
    }
    char sink[4096];
    while (fread(sink, 1, sizeof sink, p) > 0) {
    }
    int status = pclose(p);
    if (status == -1 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

const char *cu_write_temp(const char *suffix, const char *text) {
    static char paths[8][256];
    static int slot;
    char *path = paths[slot++ % 8];
    snprintf(path, 256, "/tmp/scalesim-test-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return NULL;
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        return NULL;
    }
    close(fd);
    return path;
}

char *cu_swap_quotes(const char *s) {
    char *out = strdup(s);
    for (char *p = out; *p; p++)
        if (*p == '`')
            *p = '"';
    return out;
}

void cu_marker_pos(const char *text, const char *marker, int *line, int *col) {
    *line = 1;
    *col = 1;
    if (marker == NULL)
        return;
    char *m = cu_swap_quotes(marker);
    char *caret = strchr(m, '^');
    size_t before = caret ? (size_t)(caret - m) : 0;
    if (caret)
        memmove(caret, caret + 1, strlen(caret));
    const char *hit = strstr(text, m);
    free(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(hit);
    for (const char *p = text; p < hit + before; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}
