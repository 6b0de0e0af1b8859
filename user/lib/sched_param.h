/*
 * sched_param.h — setting a per-process scheduling parameter (nice,
 * tickets) and explaining a refusal, shared by the nice and tickets programs.
 *
 * Only some policies have a given parameter (prio and cfs take nice values,
 * lottery and stride tickets). When the policy in charge has none, the
 * message names it and the policies that do, read from the kernel's registry
 * (sched_list), so no program keeps its own list of policies.
 * OSTEP ch. 7-9.
 */
#ifndef PRISM_USER_LIB_SCHED_PARAM_H
#define PRISM_USER_LIB_SCHED_PARAM_H

/* Sets param (SCHED_PARAM_*, called label in messages: "nice") of pid to
 * value; returns main's exit status: 0, or 1 after a one-line message. */
int sched_param_set(const char *program, int pid, int param, const char *label, long value);

/* The whole of `nice` or `tickets`: "PID VALUE" from argv (VALUE in
 * min..max), then sched_param_set; returns main's exit status. */
int sched_param_main(int argc, char **argv, int param, const char *label, long min, long max,
                     const char *summary);

/* Copies into names the policies whose parameter is label ("prio cfs"), or
 * every policy when label is NULL; returns how many, or a negative errno. */
int sched_policies_with(const char *label, char *names, unsigned long size);

#endif
