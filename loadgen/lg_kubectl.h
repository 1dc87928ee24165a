/* lg_kubectl.h: one look at a real HPA through `kubectl get hpa NAME -n NS -o json`.
 *
 * kubectl is run with fork/exec (execvp, so $PATH picks it; never a shell), its stdout read
 * through a pipe (at most 4 MiB) and the child killed if it takes longer than timeout_ms.
 * The HPA object is reduced to four trace cells: status.desiredReplicas,
 * status.currentReplicas, the current metric values ("cpu=45%;memory=120Mi;qps=12", from
 * status.currentMetrics: averageUtilization as a percentage, else averageValue or value, with
 * the metric's name) and the conditions ("AbleToScale=True;ScalingActive=True;..."). kubectl
 * prints the version the server prefers: autoscaling/v2 (and v2beta2) as above; v2beta1 with
 * its flat currentAverageUtilization / currentAverageValue / currentValue; autoscaling/v1
 * (older clusters) with the metrics and conditions as JSON text in the annotations
 * autoscaling.alpha.kubernetes.io/current-metrics and .../conditions, or only
 * status.currentCPUUtilizationPercentage. */
#ifndef SCALESIM_LOADGEN_LG_KUBECTL_H
#define SCALESIM_LOADGEN_LG_KUBECTL_H

#include "common/error.h"

#define LG_HPA_CELL 512

typedef struct lg_hpa_sample {
    char desired[32], current[32];
    char metrics[LG_HPA_CELL], conditions[LG_HPA_CELL];
} lg_hpa_sample;

/* kubectl: the program (NULL: "kubectl"); ns may be NULL (kubectl's current namespace). */
int lg_kubectl_get_hpa(const char *kubectl, const char *name, const char *ns, int timeout_ms,
                       lg_hpa_sample *out, sim_error *err);
/* The JSON half, for tests and for recorded objects. */
int lg_hpa_parse(const char *json, lg_hpa_sample *out, sim_error *err);

#endif
