/* cmd_run.c: `scalesim run SCENARIO`. Placeholder until the simulation core lands. */
#include <stdio.h>

#include "cli/commands.h"

static const char *out_dir;

static const opt_spec run_options[] = {
    {"output", 'o', OPT_STRING, "DIR", "output folder (default: out/<scenario name>)", &out_dir},
    {0},
};

const cmd_spec cmd_run_spec = {
    "run",
    "scalesim run SCENARIO [options]",
    "simulate a scenario; write timeline.csv and summary.json",
    NULL,
    run_options,
};

int cmd_run_main(int argc, char **argv) {
    int npos = 0;
    int rc = cli_parse(&cmd_run_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    error_set(&err, "run: not implemented yet");
    return cli_fail(&err);
}
