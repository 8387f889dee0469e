// SPDX-License-Identifier: GPL-2.0
/*
 * test_serve.c - `ipctrace serve` end to end. A real Prometheus server
 * scrapes it and its query API returns the exact number of blocked
 * writes of a workload (ipc_pattern --lockstep: every write of more than
 * a pipe blocks, exactly once) for the workload's comm and cgroup; the
 * counter survives the workload's exit, whose map entries are reclaimed;
 * both exposition formats pass Prometheus' own checks; slow and malformed
 * clients do not stop a scrape; it runs with CAP_BPF and CAP_PERFMON
 * alone; SIGTERM leaves none of its programs behind.
 *
 * The machine is shared: every workload runs under a name of its own (a
 * symlink to ipc_pattern), so other processes never add to its series.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "promlib.h"
#include "runcmd.h"
#include "tap_suite.h"

static char pattern_bin[PATH_MAX], workload[400], comm[16], scratch[256];
static char cgroup_dir[600], cgroup_label[64];

#define OM_ACCEPT "Accept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5\r\n"
#define WRITES 200
#define WRITE_SIZE "69632"	/* 17 pages: more than the 16 of a default pipe */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pause_ms(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	nanosleep(&t, NULL);
}

struct served {
	struct spawned s;
	unsigned int port;
	char *err;
	size_t errlen;
};

/* start `ipctrace <args>` (serve ...), wait for its "serving" line */
static void serve_start_as(struct served *sv, const char *args,
			   int (*before_exec)(void))
{
	char **argv = ipctrace_argv(args);
	const char *at;

	memset(sv, 0, sizeof(*sv));
	ck_assert_int_eq(spawn_cmd(argv, before_exec, &sv->s), 0);
	free_argv(argv);
	ck_assert_msg(read_until(sv->s.err, &sv->err, &sv->errlen, "to end") == 0,
		      "serve never started: %s", sv->err ? sv->err : "");
	at = strstr(sv->err, "http://127.0.0.1:");
	if (at)
		sv->port = (unsigned int)atoi(at + strlen("http://127.0.0.1:"));
}

static void serve_start(struct served *sv, const char *args)
{
	serve_start_as(sv, args, NULL);
}

/* the ids of the BPF programs process pid holds, from its fdinfo */
static int prog_ids_of(pid_t pid, __u32 *ids, int max)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) && n < max) {
		char line[128], file[400];
		FILE *f;

		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		f = fopen(file, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "prog_id: %u", &ids[n]) == 1) {
				n++;
				break;
			}
		fclose(f);
	}
	closedir(d);
	return n;
}

/* SIGTERM: a clean exit, and none of its programs left in the kernel */
static void serve_stop(struct served *sv)
{
	struct cmd_result r;
	__u32 ids[128];
	int n = prog_ids_of(sv->s.pid, ids, 128), left = 1;

	ck_assert_int_gt(n, 0);
	kill(sv->s.pid, SIGTERM);
	spawn_finish(&sv->s, &r);
	ck_assert_msg(r.status == 0, "serve exit %d: %s", r.status, r.err);
	cmd_result_free(&r);
	/* links are released from a workqueue: give the teardown time */
	for (int tries = 0; left && tries < 1000; tries++) {
		left = 0;
		for (int i = 0; i < n; i++) {
			int fd = bpf_prog_get_fd_by_id(ids[i]);

			if (fd >= 0) {
				close(fd);
				left++;
			}
		}
		if (left)
			pause_ms(10);
	}
	ck_assert_msg(left == 0, "%d of serve's %d programs still loaded", left, n);
	free(sv->err);
}

/* the workload joins the test's cgroup before it execs */
static int into_cgroup(void)
{
	char procs[640];
	FILE *f;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup_dir);
	f = fopen(procs, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", getpid());
	return fclose(f) ? -1 : 0;
}

/* WRITES lockstep writes of WRITE_SIZE bytes under our own comm */
static void run_workload(void)
{
	char *argv[] = { workload, "pipe", "200", WRITE_SIZE, "--lockstep", "--quiet", NULL };
	struct cmd_result r;

	ck_assert_int_eq(run_cmd(argv, into_cgroup, &r), 0);
	ck_assert_msg(r.status == 0, "workload exit %d: %s", r.status, r.err);
	cmd_result_free(&r);
}

/* a sample's value in a Prometheus-format body; -1 when absent */
static double sample(const char *body, const char *series)
{
	const char *at = strstr(body, series);

	while (at && at != body && at[-1] != '\n')
		at = strstr(at + 1, series);
	return at ? atof(at + strlen(series)) : -1;
}

static char *metrics(unsigned int port, const char *extra)
{
	struct http_reply r;
	char *body;

	ck_assert_int_eq(http_get(port, "/metrics", extra, &r), 0);
	ck_assert_int_eq(r.status, 200);
	body = r.body;
	r.body = NULL;
	http_reply_free(&r);
	return body;
}

static char *blocked_series(char *buf, size_t len)
{
	snprintf(buf, len, "ipctrace_blocked_calls_total{op=\"write\",kind=\"pipe\","
		 "comm=\"%s\",cgroup=\"%s\"} ", comm, cgroup_label);
	return buf;
}

/* every process, a real Prometheus: the query API has the exact count */
START_TEST(prometheus_scrapes_the_exact_blocked_writes)
{
	struct served sv;
	struct prometheus p;
	char q[512], *labels = NULL, dir[300];
	double v = -1, ts = 0, done;

	serve_start(&sv, "serve --listen 127.0.0.1:0 -i 0.2");
	ck_assert_int_gt(sv.port, 0);
	ck_assert_ptr_nonnull(strstr(sv.err, "every process"));
	snprintf(dir, sizeof(dir), "%s/prom", scratch);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_msg(prometheus_start(&p, sv.port, dir) == 0,
		      "prometheus did not start: see %s/prometheus.log", dir);
	run_workload();
	done = now_s();
	/* wait for a sample Prometheus scraped after the workload ended and
	 * serve's snapshot (every 0.2 s) took it in */
	snprintf(q, sizeof(q), "timestamp(ipctrace_blocked_calls_total{comm=\"%s\","
		 "op=\"write\",kind=\"pipe\"})", comm);
	for (int i = 0; i < 600 && ts < done + 0.5; i++) {
		if (prometheus_query(&p, q, &ts, NULL) != 0)
			ts = 0;
		pause_ms(100);
	}
	ck_assert_msg(ts >= done + 0.5, "Prometheus never scraped the workload's series");
	snprintf(q, sizeof(q), "ipctrace_blocked_calls_total{comm=\"%s\",op=\"write\","
		 "kind=\"pipe\"}", comm);
	ck_assert_int_eq(prometheus_query(&p, q, &v, &labels), 0);
	printf("# query %s = %.0f %s\n", q, v, labels);
	ck_assert_msg(v == WRITES, "Prometheus has %.0f blocked writes, want %d", v, WRITES);
	ck_assert_ptr_nonnull(strstr(labels, cgroup_label));
	free(labels);
	/* the scrape itself was healthy (Prometheus asked for OpenMetrics) */
	ck_assert_int_eq(prometheus_query(&p, "up{job=\"ipctrace\"}", &v, NULL), 0);
	ck_assert(v == 1);
	prometheus_stop(&p);
	serve_stop(&sv);
}
END_TEST

/* both formats pass Prometheus' own checks; returns nothing, asserts */
static void check_formats(unsigned int port)
{
	char path[300], cmd[2000], *om, *prom, *type;
	struct http_reply r;
	FILE *f;
	struct cmd_result res;
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };

	ck_assert_int_eq(http_get(port, "/metrics", OM_ACCEPT, &r), 0);
	type = http_header(&r, "Content-Type");
	ck_assert_str_eq(type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
	free(type);
	om = strdup(r.body);
	ck_assert(r.body_len > 6 && !strcmp(r.body + r.body_len - 6, "# EOF\n"));
	http_reply_free(&r);
	ck_assert_int_eq(http_get(port, "/metrics", NULL, &r), 0);
	type = http_header(&r, "Content-Type");
	ck_assert_str_eq(type, "text/plain; version=0.0.4; charset=utf-8");
	free(type);
	prom = strdup(r.body);
	ck_assert_ptr_null(strstr(prom, "# EOF"));
	http_reply_free(&r);

	/* promtool's linter reads the Prometheus text format */
	snprintf(path, sizeof(path), "%s/metrics.prom", scratch);
	f = fopen(path, "w");
	fputs(prom, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s", path);
	ck_assert_int_eq(run_cmd(argv, NULL, &res), 0);
	printf("# promtool check metrics (text 0.0.4): exit %d, output \"%s%s\"\n",
	       res.status, res.out, res.err);
	ck_assert_msg(res.status == 0 && !res.err[0] && !res.out[0],
		      "promtool check metrics: %s%s", res.out, res.err);
	cmd_result_free(&res);
	/*
	 * OpenMetrics goes through Prometheus' own OpenMetrics parser, the one
	 * its scrapes use: promtool's backfill (which wants timestamps, so
	 * each sample gets one; the text is otherwise as served)
	 */
	snprintf(path, sizeof(path), "%s/metrics.om", scratch);
	f = fopen(path, "w");
	fputs(om, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "awk '/^#/ { print; next } { print $0 \" %ld\" }' %s > %s.ts &&"
		 " promtool tsdb create-blocks-from openmetrics %s.ts %s/blocks-%d",
		 (long)time(NULL), path, path, path, scratch, (int)getpid());
	ck_assert_int_eq(run_cmd(argv, NULL, &res), 0);
	ck_assert_msg(res.status == 0, "OpenMetrics parser: %s%s", res.out, res.err);
	cmd_result_free(&res);
	free(om);
	free(prom);
}

/* only the workload's name: its counter outlives it, its entries go */
START_TEST(counter_survives_exit_and_entries_are_reclaimed)
{
	struct served sv;
	char args[200], series[512], *body = NULL;
	double blocked = -1, tracked = -1, reclaimed = -1;

	snprintf(args, sizeof(args), "serve --listen 127.0.0.1:0 -i 0.2 --comm %s", comm);
	serve_start(&sv, args);
	run_workload();
	/* the exit is seen, folded once more, then the entries are deleted */
	for (int i = 0; i < 1200; i++) {
		free(body);
		body = metrics(sv.port, NULL);
		blocked = sample(body, blocked_series(series, sizeof(series)));
		tracked = sample(body, "ipctrace_threads_tracked ");
		reclaimed = sample(body, "ipctrace_threads_reclaimed_total ");
		if (reclaimed >= 3 && tracked == 0)
			break;
		pause_ms(100);
	}
	ck_assert_msg(reclaimed >= 3 && tracked == 0, "reclaimed %.0f, tracked %.0f",
		      reclaimed, tracked);
	ck_assert_msg(blocked == WRITES, "%.0f blocked writes after the exit, want %d",
		      blocked, WRITES);
	/* calls come from the mode (fexit, kretprobe) or are not exported */
	if (strstr(body, "ipctrace_calls_total{"))
		ck_assert_int_ge(sample(body, series + strlen("ipctrace_blocked_")), 0);
	free(body);
	check_formats(sv.port);
	serve_stop(&sv);
}
END_TEST

/*
 * A client that sends half a request and waits, and requests that are
 * not HTTP or have a header over the limit: a scrape meanwhile is
 * answered, the broken ones get an error or are closed, and the half
 * request is cut off by the connection timeout.
 */
START_TEST(slow_and_malformed_clients_do_not_stop_a_scrape)
{
	struct served sv;
	struct http_reply r;
	char *big, *body;
	int slow, closed = 0;
	const char half[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

	serve_start(&sv, "serve --listen 127.0.0.1:0 -i 0.2 --comm nothing-here");
	slow = tcp_connect(sv.port);
	ck_assert_int_ge(slow, 0);
	ck_assert_int_eq(write(slow, half, sizeof(half) - 1), (ssize_t)sizeof(half) - 1);
	ck_assert_int_eq(http_raw(sv.port, "\x16\x03\x01\x02\x00garbage\r\n\r\n", 20, &r), 0);
	ck_assert_msg(r.status == 0 || r.status >= 400, "garbage got %d", r.status);
	http_reply_free(&r);
	big = malloc(200000);
	memset(big, 'a', 200000);
	memcpy(big, "GET /metrics HTTP/1.1\r\nX-Big: ", 30);
	memcpy(big + 199996, "\r\n\r\n", 4);
	ck_assert_int_eq(http_raw(sv.port, big, 200000, &r), 0);
	ck_assert_msg(r.status == 0 || r.status >= 400, "a 200 kB header got %d", r.status);
	http_reply_free(&r);
	free(big);
	ck_assert_int_eq(http_raw(sv.port, "POST /metrics HTTP/1.0\r\n\r\n", 26, &r), 0);
	ck_assert_int_eq(r.status, 405);
	http_reply_free(&r);
	/* while the slow one still hangs on: a scrape, in both formats */
	body = metrics(sv.port, NULL);
	ck_assert_ptr_nonnull(strstr(body, "ipctrace_build_info{"));
	free(body);
	body = metrics(sv.port, OM_ACCEPT);
	ck_assert_ptr_nonnull(strstr(body, "# EOF\n"));
	free(body);
	/* the half request is closed by the server's timeout (10 s) */
	for (int i = 0; i < 600 && !closed; i++) {
		char c;
		ssize_t n;

		pause_ms(100);
		n = recv(slow, &c, 1, MSG_DONTWAIT);
		closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
	}
	ck_assert_msg(closed, "the half request was never cut off");
	close(slow);
	serve_stop(&sv);
}
END_TEST

/* --listen none --textfile: ipctrace.prom appears whole, temporaries go */
START_TEST(textfile_is_written_atomically)
{
	struct served sv;
	char dir[300], file[340], args[500];
	struct stat st;
	DIR *d;
	struct dirent *e;
	int found = 0, others = 0;

	snprintf(dir, sizeof(dir), "%s/textfile", scratch);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(file, sizeof(file), "%s/ipctrace.prom", dir);
	snprintf(args, sizeof(args), "serve --listen none --textfile %s -i 0.2 --comm %s",
		 dir, comm);
	serve_start(&sv, args);
	for (int i = 0; i < 600 && stat(file, &st); i++)
		pause_ms(100);
	ck_assert_int_eq(stat(file, &st), 0);
	serve_stop(&sv);
	d = opendir(dir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		if (!strcmp(e->d_name, "ipctrace.prom"))
			found++;
		else
			others++;
	}
	closedir(d);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(others, 0);
}
END_TEST

/* what the systemd unit grants: CAP_BPF and CAP_PERFMON, as nobody */
START_TEST(runs_with_only_cap_bpf_and_cap_perfmon)
{
	struct served sv;
	char args[1024], series[512], *body = NULL, status[64];
	double blocked = -1;
	FILE *f;
	char line[256], capeff[64] = "";

	snprintf(args, sizeof(args), "exec setpriv --reuid=65534 --regid=65534 --clear-groups"
		 " --inh-caps=-all,+bpf,+perfmon --ambient-caps=-all,+bpf,+perfmon"
		 " --bounding-set=-all,+bpf,+perfmon -- %s serve --listen 127.0.0.1:0"
		 " -i 0.2 --comm %s", ipctrace_bin(), comm);
	{
		char *argv[] = { "/bin/sh", "-c", args, NULL };
		const char *at;

		memset(&sv, 0, sizeof(sv));
		ck_assert_int_eq(spawn_cmd(argv, NULL, &sv.s), 0);
		ck_assert_msg(read_until(sv.s.err, &sv.err, &sv.errlen, "to end") == 0,
			      "serve never started: %s", sv.err ? sv.err : "");
		at = strstr(sv.err, "http://127.0.0.1:");
		ck_assert_ptr_nonnull(at);
		sv.port = (unsigned int)atoi(at + strlen("http://127.0.0.1:"));
	}
	/* no CAP_SYS_ADMIN: no run time, and it says so */
	ck_assert_ptr_nonnull(strstr(sv.err, "BPF run time not measured"));
	snprintf(status, sizeof(status), "/proc/%d/status", sv.s.pid);
	f = fopen(status, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		sscanf(line, "CapEff: %63s", capeff);
	fclose(f);
	ck_assert_str_eq(capeff, "000000c000000000");	/* bits 38, 39 */
	run_workload();
	for (int i = 0; i < 600 && blocked != WRITES; i++) {
		free(body);
		body = metrics(sv.port, NULL);
		blocked = sample(body, blocked_series(series, sizeof(series)));
		pause_ms(100);
	}
	ck_assert_msg(blocked == WRITES, "%.0f blocked writes, want %d", blocked, WRITES);
	ck_assert_ptr_null(strstr(body, "ipctrace_bpf_run_seconds_total"));
	free(body);
	serve_stop(&sv);
}
END_TEST

START_TEST(bad_input_fails_with_one_line)
{
	struct cmd_result r;

	r = run_ipctrace("serve --listen nowhere", NULL);
	assert_one_line_error(&r, "serve --listen nowhere", 2, "--listen 'nowhere'", NULL);
	cmd_result_free(&r);
	r = run_ipctrace("serve --listen none", NULL);
	assert_one_line_error(&r, "serve --listen none", 2, "--textfile", NULL);
	cmd_result_free(&r);
	r = run_ipctrace("serve -p 1 --comm x", NULL);
	assert_one_line_error(&r, "serve -p 1 --comm x", 2, "one kind of target", NULL);
	cmd_result_free(&r);
	r = run_ipctrace("serve 10", NULL);
	assert_one_line_error(&r, "serve 10", 2, "unexpected argument", NULL);
	cmd_result_free(&r);
	r = run_ipctrace("serve --max-series 0", NULL);
	assert_one_line_error(&r, "serve --max-series 0", 2, "--max-series", NULL);
	cmd_result_free(&r);
	r = run_ipctrace("serve", become_nobody);
	assert_one_line_error(&r, "serve as nobody", 1, "CAP_BPF", NULL);
	cmd_result_free(&r);
	r = run_ipctrace("serve --textfile /nonexistent/dir", NULL);
	assert_one_line_error(&r, "serve --textfile /nonexistent", 1, "--textfile", NULL);
	cmd_result_free(&r);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("serve");
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	const char *pattern = getenv("IPC_PATTERN_BIN");
	char mount[256] = "";
	FILE *f;

	snprintf(scratch, sizeof(scratch), "/tmp/ipctrace-serve-XXXXXX");
	if (!realpath(pattern ? pattern : "build/tests/ipc_pattern", pattern_bin) ||
	    enter_scratch_dir(scratch) || !getcwd(scratch, sizeof(scratch))) {
		perror("setting up");
		return 2;
	}
	/* a name no other process has: the series are the workload's alone */
	snprintf(comm, sizeof(comm), "ipcsrv%d", (int)(getpid() % 1000000));
	snprintf(workload, sizeof(workload), "%s/%s", scratch, comm);
	if (symlink(pattern_bin, workload)) {
		perror("symlink");
		return 2;
	}
	/* and a cgroup of its own, under the first cgroup2 mount */
	f = fopen("/proc/mounts", "r");
	if (f) {
		char dev[256], dir[256], type[64];

		while (fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
			if (!strcmp(type, "cgroup2")) {
				snprintf(mount, sizeof(mount), "%s", dir);
				break;
			}
		fclose(f);
	}
	snprintf(cgroup_label, sizeof(cgroup_label), "/ipctrace-serve-%d", (int)getpid());
	snprintf(cgroup_dir, sizeof(cgroup_dir), "%s%s", mount, cgroup_label);
	if (!mount[0] || mkdir(cgroup_dir, 0755)) {
		perror("a cgroup v2 for the workload");
		return 2;
	}
	tcase_set_timeout(tc, 900);	/* a hang guard */
	tcase_add_test(tc, prometheus_scrapes_the_exact_blocked_writes);
	tcase_add_test(tc, counter_survives_exit_and_entries_are_reclaimed);
	tcase_add_test(tc, slow_and_malformed_clients_do_not_stop_a_scrape);
	tcase_add_test(tc, textfile_is_written_atomically);
	tcase_add_test(tc, runs_with_only_cap_bpf_and_cap_perfmon);
	tcase_add_test(tc, bad_input_fails_with_one_line);
	suite_add_tcase(s, tc);
	{
		int ret = run_suite_tap(s);

		rmdir(cgroup_dir);
		return ret;
	}
}
