/* fuzz_scenario.c: libFuzzer harness for the scenario loader and the hey command-line parser.
 * Not part of the CMake build or CI (it needs clang's -fsanitize=fuzzer). Build and run by hand
 * from the source root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *     tests/fuzz/fuzz_scenario.c $(find common sim/scenario -name '*.c') -lcjson -lcsv -lm \
 *     -o fuzz_scenario
 *   mkdir -p corpus && for f in scenarios/[a-z]*.json; do (printf '\0'; cat $f) \
 *     > corpus/$(basename $f); done && ./fuzz_scenario -max_total_time=120 corpus
 *
 * The first input byte picks the target: even, the loader (relative trace files resolve
 * against scenarios/); odd, hey_args_parse_command on the rest as a C string. Besides crashes
 * and leaks, it aborts when a failed load leaves anything allocated or gives an empty message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hey_args.h"
#include "sim/scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    if (data[0] % 2 == 0) {
        scenario_cfg cfg;
        sim_error err;
        if (scenario_load_text((const char *)data + 1, size - 1, "f.json", "scenarios", &cfg,
                               &err) == 0)
            scenario_cfg_free(&cfg);
        else if (cfg.loads != NULL || cfg.name != NULL || err.msg[0] == '\0')
            abort();
        return 0;
    }
    char *line = malloc(size);
    if (line == NULL)
        return 0;
    memcpy(line, data + 1, size - 1);
    line[size - 1] = '\0';
    hey_args a;
    sim_error err;
    size_t at = 0;
    if (hey_args_parse_command(line, &a, &at, &err) == 0)
        hey_args_free(&a);
    else if (at > strlen(line) || err.msg[0] == '\0')
        abort();
    free(line);
    return 0;
}
