/* commands.h: the subcommands of the scalesim binary. Each cli/cmd_NAME.c defines a cmd_spec
 * (its usage, summary and options, parsed with common/options.h) and an entry point that returns
 * the process exit code (EXIT_OK, EXIT_ASSERTION_FAILED, EXIT_INPUT_ERROR from common/error.h).
 * Errors are printed only through cli_fail. To add a command: a new file plus one row in main.c. */
#ifndef SCALESIM_CLI_COMMANDS_H
#define SCALESIM_CLI_COMMANDS_H

#include "common/error.h"
#include "common/options.h"

typedef struct command {
    const cmd_spec *spec;
    int (*main)(int argc, char **argv); /* argv[0] is the command name */
} command;

extern const cmd_spec cmd_run_spec;
int cmd_run_main(int argc, char **argv);

extern const cmd_spec cmd_hpa_spec;
int cmd_hpa_main(int argc, char **argv);

extern const cmd_spec cmd_cron_spec;
int cmd_cron_main(int argc, char **argv);

extern const cmd_spec cmd_check_spec;
int cmd_check_main(int argc, char **argv);

extern const cmd_spec cmd_report_spec;
int cmd_report_main(int argc, char **argv);

extern const cmd_spec cmd_loadgen_spec;
int cmd_loadgen_main(int argc, char **argv);

extern const cmd_spec cmd_replay_spec;
int cmd_replay_main(int argc, char **argv);

extern const cmd_spec cmd_tune_spec;
int cmd_tune_main(int argc, char **argv);

/* Prints "scalesim: <message>" to stderr and returns EXIT_INPUT_ERROR. */
int cli_fail(const sim_error *err);

/* Parses a command's options the shared way. Returns -1 to continue, or the exit code to
 * return at once (0 after --help, 2 after an error, already printed). */
int cli_parse(const cmd_spec *spec, int argc, char **argv, int *npositional);

#endif
