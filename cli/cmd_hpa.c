/* cmd_hpa.c: `scalesim hpa`: evaluate the HPA algorithm on recorded states. Placeholder until
 * sim/control/hpa lands (issue 3); it refuses to run rather than pretend. */
#include <stdio.h>

#include "cli/commands.h"

static const char *cases_file;

static const opt_spec hpa_options[] = {
    {"cases", 0, OPT_STRING, "FILE", "evaluate every case of a conformance case file", &cases_file},
    {0},
};

const cmd_spec cmd_hpa_spec = {
    "hpa",
    "scalesim hpa CASE.json | scalesim hpa --cases FILE",
    "evaluate the HPA decision code on one recorded state or a case file",
    NULL,
    hpa_options,
};

int cmd_hpa_main(int argc, char **argv) {
    int npos = 0;
    int rc = cli_parse(&cmd_hpa_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    error_set(&err, "hpa: not implemented yet");
    return cli_fail(&err);
}
