/* tune_yaml.c: see tune_yaml.h. */
#include "sim/output/tune_yaml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

typedef struct out_buf {
    char *p;
    size_t len, cap;
    int oom;
} out_buf;

static int write_handler(void *data, unsigned char *buffer, size_t size) {
    out_buf *b = data;
    if (b->len + size + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + size + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->oom = 1;
            return 0;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, buffer, size);
    b->len += size;
    b->p[b->len] = '\0';
    return 1;
}

/* Would a plain scalar with this text read back as something other than the string? */
static int needs_quotes(const char *s) {
    static const char *const words[] = {"y",     "n",    "yes", "no",   "on",    "off",  "true",
                                        "false", "null", "~",   ".inf", "-.inf", ".nan", "+.inf"};
    if (*s == '\0')
        return 1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return 1;
    char *end;
    strtod(s, &end);
    if (*end == '\0')
        return 1;
    strtol(s, &end, 0);
    if (*end == '\0')
        return 1;
    if (strncmp(s, "0o", 2) == 0)
        return 1;
    return 0;
}

static int emit(yaml_emitter_t *em, const cJSON *n) {
    yaml_event_t ev;
    if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
        int obj = cJSON_IsObject(n);
        if (obj ? !yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE)
                : !yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                        YAML_BLOCK_SEQUENCE_STYLE))
            return -1;
        if (!yaml_emitter_emit(em, &ev))
            return -1;
        const cJSON *c;
        cJSON_ArrayForEach(c, n) {
            if (obj) {
                yaml_scalar_style_t st = needs_quotes(c->string) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                                 : YAML_ANY_SCALAR_STYLE;
                if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)c->string, -1, 1,
                                                  1, st) ||
                    !yaml_emitter_emit(em, &ev))
                    return -1;
            }
            if (emit(em, c) < 0)
                return -1;
        }
        if (obj ? !yaml_mapping_end_event_initialize(&ev)
                : !yaml_sequence_end_event_initialize(&ev))
            return -1;
        return yaml_emitter_emit(em, &ev) ? 0 : -1;
    }
    char num[64];
    const char *text;
    yaml_scalar_style_t st = YAML_PLAIN_SCALAR_STYLE;
    if (cJSON_IsString(n)) {
        text = n->valuestring;
        st = needs_quotes(text) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE;
    } else if (cJSON_IsNumber(n)) {
        double v = n->valuedouble;
        if (v == floor(v) && fabs(v) < 1e15)
            snprintf(num, sizeof num, "%.0f", v);
        else
            snprintf(num, sizeof num, "%.17g", v);
        text = num;
    } else if (cJSON_IsBool(n)) {
        text = cJSON_IsTrue(n) ? "true" : "false";
    } else {
        text = "null";
    }
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, -1, 1, 1, st))
        return -1;
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

char *tune_yaml(const cJSON *node, sim_error *err) {
    yaml_emitter_t em;
    yaml_event_t ev;
    out_buf b = {0};
    if (!yaml_emitter_initialize(&em)) {
        error_set(err, "out of memory");
        return NULL;
    }
    yaml_emitter_set_output(&em, write_handler, &b);
    yaml_emitter_set_unicode(&em, 1);
    int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
             yaml_emitter_emit(&em, &ev) &&
             yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
             yaml_emitter_emit(&em, &ev) && emit(&em, node) == 0 &&
             yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
             yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
    if (!ok) {
        error_set(err, "yaml: %s",
                  b.oom ? "out of memory" : (em.problem ? em.problem : "cannot emit the document"));
        yaml_emitter_delete(&em);
        free(b.p);
        return NULL;
    }
    yaml_emitter_delete(&em);
    return b.p;
}
