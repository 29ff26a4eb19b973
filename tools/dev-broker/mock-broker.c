/*
 * Development Kafka broker: librdkafka's mock cluster behind a tiny line protocol.
 *
 *   mock-broker [--brokers N] [--partitions N] [--port P] [TOPIC...]
 *
 * Prints "BOOTSTRAP host:port[,host:port...]" once the listeners are up, then
 * answers one "OK" or "ERR <reason>" per command line read on stdin:
 *
 *   down <broker>                  close the broker's connections, refuse new ones
 *   up <broker>                    accept connections again
 *   rtt <broker> <ms>              add round-trip latency to every response
 *   errors <apiKey> <code>...      fail the next requests of that API, one code each
 *   clear-errors <apiKey>          drop the errors still queued for that API
 *   topic-error <topic> <code>     metadata reports the topic with that error (0 clears)
 *   topic <name> <partitions>      create a topic (the mock has no CreateTopics API)
 *   reset                          all brokers up, no added latency, no queued errors
 *   ping
 *
 * <broker> is a broker id (1..N) or -1 for all. Exits on stdin EOF, SIGTERM or
 * SIGINT, so the broker never outlives the process that started it.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdkafka.h"
#include "rdkafka_mock.h"

#define MAX_ERRORS 64
/* Above every Kafka API key in use (the highest is below 100). */
#define API_KEY_LIMIT 128
#define LEAVE_GROUP_API_KEY 13

static volatile sig_atomic_t stopping;

/*
 * The mock binds every listener to port 0 (random) and has no option for a
 * fixed one, so the link wraps bind(): with --port P, the Nth port-0 bind gets
 * P+N instead. Re-binds after "down" keep their port and pass through.
 */
static int fixed_port;
static int fixed_port_next;

int __real_bind(int fd, const struct sockaddr *addr, socklen_t len);

int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len) {
        struct sockaddr_in sin;

        if (!fixed_port || addr->sa_family != AF_INET || len != sizeof(sin))
                return __real_bind(fd, addr, len);
        memcpy(&sin, addr, sizeof(sin));
        if (sin.sin_port)
                return __real_bind(fd, addr, len);
        sin.sin_port = htons((uint16_t)(fixed_port + fixed_port_next++));
        return __real_bind(fd, (struct sockaddr *)&sin, sizeof(sin));
}

/*
 * The mock aborts (an assertion in its cleanup) when a listener cannot bind,
 * so a taken fixed port is reported here first.
 */
static int check_port_free(int port) {
        struct sockaddr_in sin = {.sin_family = AF_INET};
        int fd = socket(AF_INET, SOCK_STREAM, 0), on = 1, r;

        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sin.sin_port        = htons((uint16_t)port);
        /* As the mock does, so a port in TIME_WAIT counts as free. */
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
        r = __real_bind(fd, (struct sockaddr *)&sin, sizeof(sin));
        if (r == -1)
                fprintf(stderr, "mock-broker: cannot listen on 127.0.0.1:%d: %s\n",
                        port, strerror(errno));
        close(fd);
        return r;
}

static void on_signal(int sig) {
        (void)sig;
        stopping = 1;
        /* Makes a read that is about to start fail too, not only one in progress. */
        close(STDIN_FILENO);
}

static int parse_int(const char *s, long min, long max, long *out) {
        char *end;
        long v;

        if (!s)
                return -1;
        errno = 0;
        v     = strtol(s, &end, 10);
        if (errno || end == s || *end || v < min || v > max)
                return -1;
        *out = v;
        return 0;
}

static void usage(void) {
        fprintf(stderr,
                "usage: mock-broker [--brokers N] [--partitions N] [--port P] "
                "[TOPIC...]\n");
        exit(2);
}

static void reply(rd_kafka_resp_err_t err) {
        if (err)
                printf("ERR %s\n", rd_kafka_err2name(err));
        else
                printf("OK\n");
}

static void run_command(rd_kafka_mock_cluster_t *mc, char *line,
                        int replication) {
        char *argv[MAX_ERRORS + 2];
        int argc = 0;
        char *save, *tok;
        long a, b;

        for (tok = strtok_r(line, " \t\r\n", &save); tok && argc < MAX_ERRORS + 2;
             tok = strtok_r(NULL, " \t\r\n", &save))
                argv[argc++] = tok;
        if (tok) {
                printf("ERR too many arguments\n");
                return;
        }
        if (argc == 0) {
                printf("ERR empty command\n");
                return;
        }

        if (!strcmp(argv[0], "ping") && argc == 1) {
                printf("OK\n");
        } else if ((!strcmp(argv[0], "down") || !strcmp(argv[0], "up")) &&
                   argc == 2 && !parse_int(argv[1], -1, INT32_MAX, &a)) {
                reply(argv[0][0] == 'd'
                          ? rd_kafka_mock_broker_set_down(mc, (int32_t)a)
                          : rd_kafka_mock_broker_set_up(mc, (int32_t)a));
        } else if (!strcmp(argv[0], "rtt") && argc == 3 &&
                   !parse_int(argv[1], -1, INT32_MAX, &a) &&
                   !parse_int(argv[2], 0, INT_MAX, &b)) {
                reply(rd_kafka_mock_broker_set_rtt(mc, (int32_t)a, (int)b));
        } else if (!strcmp(argv[0], "errors") && argc >= 3 &&
                   !parse_int(argv[1], 0, INT16_MAX, &a)) {
                rd_kafka_resp_err_t errs[MAX_ERRORS];
                int i;

                for (i = 2; i < argc; i++) {
                        if (parse_int(argv[i], INT16_MIN, INT16_MAX, &b)) {
                                printf("ERR bad error code %s\n", argv[i]);
                                return;
                        }
                        errs[i - 2] = (rd_kafka_resp_err_t)b;
                }
                rd_kafka_mock_push_request_errors_array(mc, (int16_t)a,
                                                        (size_t)(argc - 2), errs);
                printf("OK\n");
        } else if (!strcmp(argv[0], "clear-errors") && argc == 2 &&
                   !parse_int(argv[1], 0, INT16_MAX, &a)) {
                rd_kafka_mock_clear_request_errors(mc, (int16_t)a);
                printf("OK\n");
        } else if (!strcmp(argv[0], "topic-error") && argc == 3 &&
                   !parse_int(argv[2], INT16_MIN, INT16_MAX, &b)) {
                rd_kafka_mock_topic_set_error(mc, argv[1], (rd_kafka_resp_err_t)b);
                printf("OK\n");
        } else if (!strcmp(argv[0], "reset") && argc == 1) {
                rd_kafka_resp_err_t err = rd_kafka_mock_broker_set_up(mc, -1);
                int16_t key;

                if (!err)
                        err = rd_kafka_mock_broker_set_rtt(mc, -1, 0);
                for (key = 0; key < API_KEY_LIMIT; key++)
                        rd_kafka_mock_clear_request_errors(mc, key);
                reply(err);
        } else if (!strcmp(argv[0], "topic") && argc == 3 &&
                   !parse_int(argv[2], 1, 100000, &b)) {
                reply(rd_kafka_mock_topic_create(mc, argv[1], (int)b, replication));
        } else {
                printf("ERR unknown command or bad arguments: %s\n", argv[0]);
        }
}

int main(int argc, char **argv) {
        long brokers = 1, partitions = 3, port = 0, n;
        int replication, i;
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;
        sigset_t all, old;
        struct sigaction sa;
        char *line = NULL;
        size_t cap = 0;

        for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
                long *target = !strcmp(argv[i], "--brokers")      ? &brokers
                               : !strcmp(argv[i], "--partitions") ? &partitions
                               : !strcmp(argv[i], "--port")       ? &port
                                                                  : NULL;
                if (!target || parse_int(argv[i + 1], 0, 65535, target))
                        usage();
        }
        if (brokers < 1 || partitions < 1 || port + brokers > 65536)
                usage();
        fixed_port  = (int)port;
        replication = brokers < 3 ? (int)brokers : 3;
        for (n = 0; fixed_port && n < brokers; n++)
                if (check_port_free(fixed_port + (int)n) == -1)
                        return 1;

        setvbuf(stdout, NULL, _IOLBF, 0);
        /* A parent that goes away shows up as stdin EOF; don't die on the write first. */
        signal(SIGPIPE, SIG_IGN);

        conf = rd_kafka_conf_new();
        /* Warnings and errors only: this client never connects, so the "no
         * bootstrap.servers" notice is noise. */
        rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof(errstr));
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-broker: rd_kafka_new: %s\n", errstr);
                return 1;
        }

        /* The mock's threads inherit this mask: signals go to the main thread only. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        mc = rd_kafka_mock_cluster_new(rk, (int)brokers);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (!mc) {
                fprintf(stderr, "mock-broker: cannot start the mock cluster\n");
                return 1;
        }

        /* kafkajs's idempotent producer asks the controller for a producer id. */
        rd_kafka_mock_set_controller_id(mc, 1);
        /* Otherwise every new consumer group waits 3 s before its first assignment. */
        rd_kafka_mock_group_initial_rebalance_delay_ms(mc, 0);
        /* The mock advertises LeaveGroup v0-4 but parses only v0-2: kafkajs's v3 request left the
         * member in the group (slowing the next join by a session timeout) and its reply failed to
         * decode. */
        rd_kafka_mock_set_apiversion(mc, LEAVE_GROUP_API_KEY, 0, 2);

        for (; i < argc; i++) {
                rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
                    mc, argv[i], (int)partitions, replication);
                if (err) {
                        fprintf(stderr, "mock-broker: topic %s: %s\n", argv[i],
                                rd_kafka_err2str(err));
                        return 1;
                }
        }

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* No SA_RESTART: the signal must interrupt the blocking stdin read. */
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);

        printf("BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mc));

        while (!stopping && getline(&line, &cap, stdin) != -1)
                run_command(mc, line, replication);

        free(line);
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
