/* label_selector.c: LabelSelector as Go's %+v prints it; see label_selector.h. Format from
 * k8s.io/apimachinery/pkg/apis/meta/v1/generated.pb.go (LabelSelector.String: map keys sorted,
 * each "k: v," and each requirement "LabelSelectorRequirement{Key:..,Operator:..,Values:[..],}").
 */
#include "sim/scenario/label_selector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str_or_empty(const cJSON *v) {
    return cJSON_IsString(v) ? v->valuestring : "";
}

char *label_selector_string(const cJSON *match_labels, const cJSON *match_expressions) {
    int n = match_labels ? cJSON_GetArraySize(match_labels) : 0;
    const cJSON **keys = calloc((size_t)(n > 0 ? n : 1), sizeof *keys);
    if (keys == NULL)
        return NULL;
    int k = 0;
    for (const cJSON *l = match_labels ? match_labels->child : NULL; l && k < n; l = l->next)
        keys[k++] = l;
    for (int i = 1; i < k; i++) /* sorted keys, like the generated String() */
        for (int j = i; j > 0 && strcmp(keys[j - 1]->string, keys[j]->string) > 0; j--) {
            const cJSON *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        free(keys);
        return NULL;
    }
    fprintf(f, "&LabelSelector{MatchLabels:map[string]string{");
    for (int i = 0; i < k; i++)
        fprintf(f, "%s: %s,", keys[i]->string, str_or_empty(keys[i]));
    fprintf(f, "},MatchExpressions:[]LabelSelectorRequirement{");
    for (const cJSON *e = match_expressions ? match_expressions->child : NULL; e; e = e->next) {
        const cJSON *vals = cJSON_GetObjectItemCaseSensitive(e, "values");
        fprintf(f, "LabelSelectorRequirement{Key:%s,Operator:%s,Values:[",
                str_or_empty(cJSON_GetObjectItemCaseSensitive(e, "key")),
                str_or_empty(cJSON_GetObjectItemCaseSensitive(e, "operator")));
        for (const cJSON *x = cJSON_IsArray(vals) ? vals->child : NULL; x; x = x->next)
            fprintf(f, "%s%s", x == vals->child ? "" : " ", str_or_empty(x));
        fprintf(f, "],},");
    }
    fprintf(f, "},}");
    free(keys);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
