/* plot.c: see plot.h. */
#include "sim/output/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define GNUPLOT_NOT_FOUND 127

static int add_plot(plot_set *set, const char *name, const char *tmpl, const char *title,
                    const char *args) {
    if (set->n >= PLOT_MAX)
        return 0;
    snprintf(set->name[set->n], sizeof set->name[0], "%s", name);
    snprintf(set->tmpl[set->n], sizeof set->tmpl[0], "%s", tmpl);
    snprintf(set->title[set->n], sizeof set->title[0], "%s", title);
    snprintf(set->args[set->n], sizeof set->args[0], "%s", args);
    set->n++;
    return 1;
}

/* Writes columns (indexes into t; -1 = NaN) of every row to dir/plots/file. When mask >= 0,
 * a row whose mask column is <= 0 has NaN in every column but the first. */
static int write_dat(const char *dir, const char *file, const check_table *t, const int *cols,
                     int ncols, int mask, sim_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/plots/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return error_set(err, "cannot write %s: %s", path, strerror(errno));
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            double v = cols[c] >= 0 ? t->cols[cols[c]][r] : NAN;
            if (c > 0 && mask >= 0 && !(t->cols[mask][r] > 0))
                v = NAN;
            if (isnan(v))
                fputs(c ? " NaN" : "NaN", f);
            else
                fprintf(f, c ? " %.6g" : "%.6g", v);
        }
        fputc('\n', f);
    }
    if (fclose(f) != 0)
        return error_set(err, "cannot write %s", path);
    return 0;
}

/* The HPA's target for a metric whose timeline name contains the metric's name; NaN if none. */
/* Writes "time_s new_size" for each event that has both into plots/NAME; returns the count. */
static int write_events_dat(const char *run_dir, const char *name, const check_event *ev, size_t n,
                            sim_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/plots/%s", run_dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return error_set(err, "cannot write %s: %s", path, strerror(errno));
    int written = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].t_us < 0 || ev[i].new_size < 0)
            continue;
        fprintf(f, "%.6g %d\n", (double)ev[i].t_us / 1e6, ev[i].new_size);
        written++;
    }
    if (fclose(f) != 0)
        return error_set(err, "cannot write %s", path);
    return written;
}

static double target_for(const scenario_cfg *cfg, const char *column) {
    if (cfg == NULL || !cfg->hpa.present)
        return NAN;
    for (int i = 0; i < cfg->hpa.spec.nmetrics; i++) {
        const hpa_metric_spec *m = &cfg->hpa.spec.metrics[i];
        if (m->name == NULL || strstr(column, m->name) == NULL)
            continue;
        if (m->target.has_utilization)
            return m->target.average_utilization;
        if (m->target.has_average_value)
            return (double)m->target.average_value_milli / 1000.0;
        if (m->target.has_value)
            return (double)m->target.value_milli / 1000.0;
    }
    return NAN;
}

int plot_write_data(const char *run_dir, const check_run *run, const scenario_cfg *cfg,
                    double slo_ms, plot_set *set, sim_error *err) {
    const check_table *t = &run->timeline;
    char path[4096], args[160], title[160], file[64];
    memset(set, 0, sizeof *set);
    snprintf(path, sizeof path, "%s/plots", run_dir);
    if (mkdir(path, 0777) < 0 && errno != EEXIST)
        return error_set(err, "cannot create %s: %s", path, strerror(errno));
    int time = check_table_col(t, "time_s");
    if (time < 0)
        return error_set(err, "%s/timeline.csv has no time_s column", run_dir);
    set->end_s = t->nrows ? t->cols[time][t->nrows - 1] + 1 : 1;

    /* Replicas, with rescale events. */
    int desired = check_table_col(t, "desired_replicas");
    int rep[4] = {time, desired, check_table_col(t, "pods_ready"),
                  check_table_col(t, "pods_total")};
    if (rep[3] < 0)
        rep[3] = check_table_col(t, "current_replicas");
    if (write_dat(run_dir, "replicas.dat", t, rep, 4, -1, err) < 0)
        return -1;
    int nev = write_events_dat(run_dir, "events.dat", run->events, run->n_events, err);
    int ncron = nev < 0 ? -1
                        : write_events_dat(run_dir, "cron-events.dat", run->cron_events,
                                           run->n_cron_events, err);
    if (ncron < 0)
        return -1;
    snprintf(args, sizeof args, "has_desired=%d;has_events=%d;has_cron=%d", desired >= 0, nev > 0,
             ncron > 0);
    add_plot(set, "replicas", "replicas", "Replicas", args);

    /* Metrics: <m>_true with <m>_observed; else the utilization columns of today's timeline. */
    int nmetric = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = t->names[c];
        size_t n = strlen(name);
        if (n <= 5 || strcmp(name + n - 5, "_true") != 0 || n - 5 > 100)
            continue;
        char base[128], obs[160];
        snprintf(base, sizeof base, "%.*s", (int)(n - 5), name);
        snprintf(obs, sizeof obs, "%s_seen", base);
        int seen = check_table_col(t, obs);
        if (seen < 0) {
            snprintf(obs, sizeof obs, "%s_observed", base);
            seen = check_table_col(t, obs);
        }
        int cols[3] = {time, (int)c, seen};
        snprintf(file, sizeof file, "metric-%d.dat", ++nmetric);
        if (write_dat(run_dir, file, t, cols, 3, -1, err) < 0)
            return -1;
        double target = target_for(cfg, base);
        snprintf(args, sizeof args, "data='%s';has_observed=%d;target=%s%.6g", file, cols[2] >= 0,
                 isnan(target) ? "NaN+" : "", isnan(target) ? 0 : target);
        snprintf(title, sizeof title, "Metric %s: true vs observed", base);
        snprintf(file, sizeof file, "metric-%d", nmetric);
        add_plot(set, file, "metric", title, args);
    }
    if (nmetric == 0) {
        static const char *const util[] = {"cpu_util_pct", "mem_util_pct"};
        for (int i = 0; i < 2; i++) {
            int c = check_table_col(t, util[i]);
            if (c < 0)
                continue;
            int cols[3] = {time, c, -1};
            snprintf(file, sizeof file, "metric-%d.dat", ++nmetric);
            if (write_dat(run_dir, file, t, cols, 3, -1, err) < 0)
                return -1;
            double target = target_for(cfg, i == 0 ? "cpu" : "memory");
            snprintf(args, sizeof args, "data='%s';has_observed=0;target=%s%.6g", file,
                     isnan(target) ? "NaN+" : "", isnan(target) ? 0 : target);
            snprintf(title, sizeof title, "Metric %s (true value)", util[i]);
            snprintf(file, sizeof file, "metric-%d", nmetric);
            add_plot(set, file, "metric", title, args);
        }
    }

    /* Load and latency. */
    int load[4] = {time, check_table_col(t, "offered"), check_table_col(t, "completed"),
                   check_table_col(t, "failed")};
    if (load[1] >= 0 || load[2] >= 0) {
        if (write_dat(run_dir, "load.dat", t, load, 4, -1, err) < 0)
            return -1;
        add_plot(set, "load", "load", "Load: offered vs served", "");
    }
    int lat[4] = {time, check_table_col(t, "latency_p50_ms"), check_table_col(t, "latency_p95_ms"),
                  check_table_col(t, "latency_p99_ms")};
    if (lat[3] >= 0) {
        /* A second that served nothing has latency 0 in the timeline: no point, not a dip. */
        if (write_dat(run_dir, "latency.dat", t, lat, 4, check_table_col(t, "completed"), err) < 0)
            return -1;
        snprintf(args, sizeof args, "slo_ms=%s%.6g", isnan(slo_ms) ? "NaN+" : "",
                 isnan(slo_ms) ? 0 : slo_ms);
        add_plot(set, "latency", "latency", "Latency percentiles", args);
    }
    int gpu[4] = {time, check_table_col(t, "tokens_per_s"), check_table_col(t, "gpu_util_pct"),
                  check_table_col(t, "sm_active")};
    if (gpu[1] >= 0 && gpu[2] >= 0 && gpu[3] >= 0) {
        if (write_dat(run_dir, "gpu.dat", t, gpu, 4, -1, err) < 0)
            return -1;
        add_plot(set, "gpu", "gpu", "GPU: tokens/s and utilization", "");
    }
    return 0;
}

static int exists_dir_with(const char *dir, const char *file) {
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    return access(p, R_OK) == 0;
}

int plot_find_templates(char *buf, size_t size, sim_error *err) {
    const char *env = getenv("SCALESIM_PLOTS");
    if (env && *env) {
        if (!exists_dir_with(env, "style.gp"))
            return error_set(err, "SCALESIM_PLOTS=%s: no style.gp there", env);
        snprintf(buf, size, "%s", env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        /* build/scalesim -> ../plots (in-tree build); bin/scalesim -> ../share/scalesim/plots. */
        static const char *const rel[] = {"/plots", "/../plots", "/../../plots",
                                          "/../share/scalesim/plots"};
        for (int i = 0; i < 4; i++) {
            char cand[PATH_MAX + 32];
            snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
            if (exists_dir_with(cand, "style.gp")) {
                snprintf(buf, size, "%s", cand);
                return 0;
            }
        }
    }
    if (exists_dir_with("plots", "style.gp")) {
        snprintf(buf, size, "plots");
        return 0;
    }
    return error_set(err, "cannot find the gnuplot templates (plots/style.gp) next to the scalesim "
                          "binary; set SCALESIM_PLOTS to the plots/ folder of the source tree");
}

/* Runs gnuplot in dir on style.gp and the template with the -e variables; returns the exit
 * status, GNUPLOT_NOT_FOUND when it is not installed, -1 when it could not be started. */
static int run_gnuplot(const char *dir, const char *templates, const char *tmpl, const char *vars,
                       int to_stdout, int with_style) {
    char style[PATH_MAX + 16], file[PATH_MAX + 32];
    /* Templates are resolved before the chdir. */
    char abs_t[PATH_MAX];
    if (realpath(templates, abs_t) == NULL)
        return -1;
    snprintf(style, sizeof style, "%s/style.gp", abs_t);
    snprintf(file, sizeof file, "%s/%s.gp", abs_t, tmpl);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        if (!to_stdout) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0) {
                dup2(null, STDOUT_FILENO);
                close(null);
            }
        }
        char *argv[] = {"gnuplot", "-e", (char *)vars, style, file, NULL};
        if (!with_style) {
            argv[3] = file;
            argv[4] = NULL;
        }
        execvp("gnuplot", argv);
        _exit(errno == ENOENT ? GNUPLOT_NOT_FOUND : 126);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int plot_render(const char *run_dir, const plot_set *set, plot_format format,
                const char *templates_dir, sim_error *err) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/plots", run_dir);
    static const char *const ext[] = {"png", "svg", "dumb"};
    for (size_t i = 0; i < set->n; i++) {
        if (format == PLOT_DUMB && strcmp(set->name[i], "replicas") != 0)
            continue;
        char vars[512];
        snprintf(vars, sizeof vars, "term='%s';out='%s.%s';xmax=%.6g;%s", ext[format], set->name[i],
                 ext[format], set->end_s, set->args[i]);
        int rc = run_gnuplot(dir, templates_dir, set->tmpl[i], vars, format == PLOT_DUMB, 1);
        if (rc == GNUPLOT_NOT_FOUND)
            return error_set(err,
                             "gnuplot is not installed, so no plots were drawn; install it "
                             "(Debian/Ubuntu: apt-get install gnuplot-nox; Fedora: dnf install "
                             "gnuplot; macOS: brew install gnuplot). The data files are in "
                             "%s/",
                             dir);
        if (rc != 0)
            return error_set(err,
                             "gnuplot failed (status %d) on the %s plot (template %s/%s.gp, "
                             "data in %s/)",
                             rc, set->name[i], templates_dir, set->tmpl[i], dir);
    }
    return 0;
}

int plot_gnuplot_template(const char *dir, const char *templates_dir, const char *tmpl,
                          const char *vars, sim_error *err) {
    int rc = run_gnuplot(dir, templates_dir, tmpl, vars, 0, 0);
    if (rc == GNUPLOT_NOT_FOUND)
        return error_set(err,
                         "gnuplot is not installed, so the %s plot was not drawn (Debian/Ubuntu: "
                         "apt-get install gnuplot-nox); its data is in %s/",
                         tmpl, dir);
    if (rc != 0)
        return error_set(err, "gnuplot failed (status %d) on %s/%s.gp (data in %s/)", rc,
                         templates_dir, tmpl, dir);
    return 0;
}

int plot_run_dir(const char *run_dir, const scenario_cfg *cfg, double slo_ms, plot_format format,
                 plot_set *set, sim_error *err) {
    check_run run;
    char templates[PATH_MAX];
    if (check_run_load(run_dir, &run, err) < 0)
        return -1;
    int rc = plot_write_data(run_dir, &run, cfg, slo_ms, set, err);
    check_run_free(&run);
    if (rc < 0)
        return -1;
    if (plot_find_templates(templates, sizeof templates, err) < 0)
        return -1;
    return plot_render(run_dir, set, format, templates, err);
}

double plot_slo_ms(const scenario_cfg *cfg) {
    for (size_t i = 0; cfg && i < cfg->expect.n; i++)
        if (cfg->expect.asserts[i].kind == EXPECT_SLO_AT_LEAST)
            return cfg->expect.asserts[i].slo_ms;
    return NAN;
}

int plot_copy_scenario(const char *scenario_path, const char *run_dir, sim_error *err) {
    size_t len;
    char *text = check_read_file(scenario_path, &len, NULL, err);
    if (text == NULL)
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.json", run_dir);
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (f == NULL || fwrite(text, 1, len, f) != len)
        rc = error_set(err, "cannot write %s: %s", path, strerror(errno));
    if (f != NULL && fclose(f) != 0 && rc == 0)
        rc = error_set(err, "cannot write %s", path);
    free(text);
    return rc;
}
