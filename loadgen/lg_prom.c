/* lg_prom.c: Prometheus instant queries over libcurl (lg_prom.h). One easy handle, reused,
 * so the connection stays open between queries. */
#include "loadgen/lg_prom.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lg_prom {
    CURL *curl;
    char *base;
    char *body;
    size_t len, cap;
    int too_big;
};

#define MAX_BODY (8 << 20)

static size_t on_data(char *data, size_t size, size_t n, void *p) {
    lg_prom *q = p;
    size_t k = size * n;
    if (q->len + k + 1 > MAX_BODY) {
        q->too_big = 1;
        return 0;
    }
    if (q->len + k + 1 > q->cap) {
        size_t cap = q->cap ? q->cap : 4096;
        while (cap < q->len + k + 1)
            cap *= 2;
        char *b = realloc(q->body, cap);
        if (b == NULL)
            return 0;
        q->body = b;
        q->cap = cap;
    }
    memcpy(q->body + q->len, data, k);
    q->len += k;
    q->body[q->len] = 0;
    return k;
}

lg_prom *lg_prom_new(const char *base_url, int timeout_ms, sim_error *err) {
    if (strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0) {
        error_set(err, "loadgen: --prometheus %s: expected an http:// or https:// URL", base_url);
        return NULL;
    }
    lg_prom *p = calloc(1, sizeof *p);
    if (p == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
        (p->curl = curl_easy_init()) == NULL || (p->base = strdup(base_url)) == NULL) {
        if (p && p->curl)
            curl_easy_cleanup(p->curl);
        free(p);
        error_set(err, "loadgen: cannot start libcurl");
        return NULL;
    }
    size_t n = strlen(p->base);
    while (n > 0 && p->base[n - 1] == '/')
        p->base[--n] = 0;
    curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(p->curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, p);
    return p;
}

int lg_prom_query(lg_prom *p, const char *promql, char *cell, size_t size, sim_error *err) {
    cell[0] = 0;
    char *q = curl_easy_escape(p->curl, promql, 0);
    if (q == NULL)
        return error_set(err, "prometheus: out of memory");
    size_t ulen = strlen(p->base) + strlen(q) + 32;
    char *url = malloc(ulen);
    if (url == NULL) {
        curl_free(q);
        return error_set(err, "prometheus: out of memory");
    }
    snprintf(url, ulen, "%s/api/v1/query?query=%s", p->base, q);
    curl_free(q);
    p->len = 0;
    p->too_big = 0;
    curl_easy_setopt(p->curl, CURLOPT_URL, url);
    CURLcode rc = curl_easy_perform(p->curl);
    free(url);
    long code = 0;
    curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK)
        return error_set(err, "prometheus: %s",
                         p->too_big ? "answer too large" : curl_easy_strerror(rc));
    cJSON *root = p->body ? cJSON_Parse(p->body) : NULL;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    if (root == NULL || !cJSON_IsString(status)) {
        cJSON_Delete(root);
        return error_set(err, "prometheus: HTTP %ld, not an API answer", code);
    }
    if (strcmp(status->valuestring, "success") != 0) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
        error_set(err, "prometheus: %s", cJSON_IsString(e) ? e->valuestring : "query failed");
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(data, "resultType");
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(data, "result");
    int ret = 0;
    if (cJSON_IsString(type) && strcmp(type->valuestring, "scalar") == 0) {
        const cJSON *v = cJSON_GetArrayItem(result, 1);
        if (cJSON_IsString(v))
            snprintf(cell, size, "%s", v->valuestring);
    } else if (cJSON_IsString(type) && strcmp(type->valuestring, "vector") == 0) {
        double sum = 0;
        int n = 0;
        const char *only = NULL;
        const cJSON *s;
        cJSON_ArrayForEach(s, result) {
            const cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "value"), 1);
            if (cJSON_IsString(v)) {
                sum += strtod(v->valuestring, NULL);
                only = v->valuestring;
                n++;
            }
        }
        if (n == 1)
            snprintf(cell, size, "%s", only);
        else if (n > 1)
            snprintf(cell, size, "%.6g", sum);
    } else {
        ret = error_set(err, "prometheus: result type %s is not a scalar or a vector",
                        cJSON_IsString(type) ? type->valuestring : "?");
    }
    cJSON_Delete(root);
    return ret;
}

void lg_prom_free(lg_prom *p) {
    if (p == NULL)
        return;
    curl_easy_cleanup(p->curl);
    free(p->base);
    free(p->body);
    free(p);
}
