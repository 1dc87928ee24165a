/* main.c: the scalesim binary: global options (--help, --version), `help CMD`, and dispatch to
 * the subcommands listed in `commands` below. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static const command commands[] = {
    {&cmd_run_spec, cmd_run_main},       {&cmd_hpa_spec, cmd_hpa_main},
    {&cmd_cron_spec, cmd_cron_main},     {&cmd_check_spec, cmd_check_main},
    {&cmd_report_spec, cmd_report_main}, {&cmd_loadgen_spec, cmd_loadgen_main},
    {&cmd_replay_spec, cmd_replay_main}, {&cmd_tune_spec, cmd_tune_main},
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

int cli_fail(const sim_error *err) {
    fprintf(stderr, "scalesim: %s\n", err->msg);
    return EXIT_INPUT_ERROR;
}

int cli_parse(const cmd_spec *spec, int argc, char **argv, int *npositional) {
    sim_error err;
    switch (opts_parse(spec, argc, argv, npositional, &err)) {
    case OPTS_OK:
        return -1;
    case OPTS_HELP:
        return EXIT_OK;
    default:
        return cli_fail(&err);
    }
}

static void print_usage(FILE *out) {
    fprintf(out, "Usage: scalesim COMMAND [options]\n\n"
                 "scalesim simulates Kubernetes autoscaling (HPA, CronHPA, KPA) of inference "
                 "services\nunder hey-like load, before a cluster finds out.\n\nCommands:\n");
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].spec->name, commands[i].spec->summary);
    fprintf(out, "  %-10s %s\n", "help", "show the help of a command: scalesim help run");
    fprintf(out, "\nGlobal options:\n  -h, --help     show this help\n"
                 "      --version  print the version\n\n"
                 "Exit codes: 0 ok, 1 an assertion failed (check), 2 usage or input error.\n");
}

static const command *find_command(const char *name) {
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].spec->name, name) == 0)
            return &commands[i];
    return NULL;
}

static int unknown_command(const char *name) {
    const char *names[32];
    for (int i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].spec->name;
    const char *guess = opts_closest(name, names, NCOMMANDS);
    sim_error err;
    if (guess)
        error_set(&err, "unknown command '%s' (did you mean '%s'?); see 'scalesim --help'", name,
                  guess);
    else
        error_set(&err, "unknown command '%s'; see 'scalesim --help'", name);
    return cli_fail(&err);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_INPUT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("scalesim %s\n", SCALESIM_VERSION);
        return EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_usage(stdout);
            return EXIT_OK;
        }
        const command *cmd = find_command(argv[2]);
        if (cmd == NULL)
            return unknown_command(argv[2]);
        opts_print_help(cmd->spec, stdout);
        return EXIT_OK;
    }
    if (name[0] == '-') {
        sim_error err;
        error_set(&err, "unknown option '%s'; see 'scalesim --help'", name);
        return cli_fail(&err);
    }
    const command *cmd = find_command(name);
    if (cmd == NULL)
        return unknown_command(name);
    return cmd->main(argc - 1, argv + 1);
}
