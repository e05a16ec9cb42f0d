/* c-echo: the C libuv reference pair for gouji-bench's message-layer benchmark.
 *
 *   c-echo server PATH
 *       Listens on PATH, prints "ready" on stdout, and echoes every complete frame
 *       (4-byte big-endian length + body) back to its sender. All complete frames of one read go
 *       back in one uv_write (the batching the Swift transport also does).
 *   c-echo client PATH pingpong|pipelined BODY_BYTES MAX_COUNT MAX_SECONDS [WINDOW]
 *       Sends envelope frames {"v":1,"type":"ping","id":"c","reply_to":null,"body":{"pad":"xx…"}}
 *       whose body is BODY_BYTES long and prints
 *       "RESULT <mode> <body_bytes> <messages> <seconds> <messages_per_second>".
 *
 * Build: cc -O2 -o c-echo echo.c $(pkg-config --cflags --libs libuv)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <uv.h>

typedef struct {
    uv_pipe_t pipe;
    char *buf;
    size_t len, cap;
} conn_t;

typedef struct {
    uv_write_t req;
    char *data;
} wreq_t;

static uv_loop_t *loop;

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
    conn_t *c = (conn_t *)h;
    (void)suggested;
    if (c->cap - c->len < 65536) {
        c->cap = c->cap * 2 + 65536;
        c->buf = realloc(c->buf, c->cap);
    }
    b->base = c->buf + c->len;
    b->len = c->cap - c->len;
}

static void on_close(uv_handle_t *h) {
    conn_t *c = (conn_t *)h;
    free(c->buf);
    free(c);
}

static void on_written(uv_write_t *req, int status) {
    wreq_t *w = (wreq_t *)req;
    (void)status;
    free(w->data);
    free(w);
}

static void write_copy(uv_stream_t *s, const char *data, size_t n) {
    wreq_t *w = malloc(sizeof *w);
    w->data = malloc(n);
    memcpy(w->data, data, n);
    uv_buf_t b = uv_buf_init(w->data, (unsigned)n);
    if (uv_write(&w->req, s, &b, 1, on_written) != 0) { free(w->data); free(w); }
}

static uint32_t be32(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

/* Length of the prefix of buf holding complete frames; *frames gets their count. */
static size_t complete_frames(const char *buf, size_t len, size_t *frames) {
    size_t off = 0, n = 0;
    while (len - off >= 4) {
        uint32_t fl = be32(buf + off);
        if (len - off - 4 < fl) break;
        off += 4 + fl;
        n++;
    }
    *frames = n;
    return off;
}

static void consume(conn_t *c, size_t n) {
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

/* ---------------- server ---------------- */

static void server_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b) {
    conn_t *c = (conn_t *)s;
    (void)b;
    if (nread < 0) { uv_close((uv_handle_t *)s, on_close); return; }
    c->len += (size_t)nread;
    size_t frames;
    size_t n = complete_frames(c->buf, c->len, &frames);
    if (n > 0) {
        write_copy(s, c->buf, n);
        consume(c, n);
    }
}

static void on_connection(uv_stream_t *server, int status) {
    if (status != 0) return;
    conn_t *c = calloc(1, sizeof *c);
    uv_pipe_init(loop, &c->pipe, 0);
    if (uv_accept(server, (uv_stream_t *)&c->pipe) != 0) { uv_close((uv_handle_t *)&c->pipe, on_close); return; }
    uv_read_start((uv_stream_t *)&c->pipe, on_alloc, server_read);
}

static int run_server(const char *path) {
    uv_pipe_t server;
    uv_pipe_init(loop, &server, 0);
    remove(path);
    int rc = uv_pipe_bind(&server, path);
    if (rc == 0) rc = uv_listen((uv_stream_t *)&server, 128, on_connection);
    if (rc != 0) { fprintf(stderr, "c-echo: listen %s: %s\n", path, uv_strerror(rc)); return 1; }
    printf("ready\n");
    fflush(stdout);
    return uv_run(loop, UV_RUN_DEFAULT);
}

/* ---------------- client ---------------- */

static conn_t *client;
static char *frame;
static size_t frame_len;
static int pipelined;
static uint64_t max_count, sent, received, window;
static double max_seconds;
static uint64_t t0, t_end;

static void send_frames(uint64_t k) {
    if (k == 0) return;
    size_t n = (size_t)k * frame_len;
    wreq_t *w = malloc(sizeof *w);
    w->data = malloc(n);
    for (uint64_t i = 0; i < k; i++) memcpy(w->data + i * frame_len, frame, frame_len);
    uv_buf_t b = uv_buf_init(w->data, (unsigned)n);
    uv_write(&w->req, (uv_stream_t *)&client->pipe, &b, 1, on_written);
    sent += k;
}

static int time_up(void) {
    return (double)(uv_hrtime() - t0) / 1e9 >= max_seconds;
}

static void client_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b) {
    (void)b;
    if (nread < 0) { fprintf(stderr, "c-echo: read: %s\n", uv_strerror((int)nread)); uv_stop(loop); return; }
    client->len += (size_t)nread;
    size_t frames;
    size_t n = complete_frames(client->buf, client->len, &frames);
    consume(client, n);
    received += frames;
    if (received >= max_count || (frames > 0 && time_up())) {
        t_end = uv_hrtime();
        uv_read_stop(s);
        uv_close((uv_handle_t *)s, NULL);
        return;
    }
    if (pipelined) {
        uint64_t room = max_count - sent;
        send_frames(frames < room ? frames : room);
    } else if (frames > 0) {
        send_frames(1);
    }
}

static void on_connect(uv_connect_t *req, int status) {
    if (status != 0) { fprintf(stderr, "c-echo: connect: %s\n", uv_strerror(status)); uv_stop(loop); return; }
    (void)req;
    uv_read_start((uv_stream_t *)&client->pipe, on_alloc, client_read);
    t0 = uv_hrtime();
    if (pipelined) send_frames(window < max_count ? window : max_count);
    else send_frames(1);
}

static int run_client(const char *path, const char *mode, size_t body_bytes, uint64_t count, double seconds, uint64_t win) {
    pipelined = strcmp(mode, "pipelined") == 0;
    max_count = count;
    max_seconds = seconds;
    window = win;
    /* Envelope with body {"pad":"x…"} of exactly body_bytes bytes (min 10). */
    const char *head = "{\"v\":1,\"type\":\"ping\",\"id\":\"c\",\"reply_to\":null,\"body\":{\"pad\":\"";
    const char *tail = "\"}}";
    size_t pad = body_bytes > 10 ? body_bytes - 10 : 0;
    size_t json_len = strlen(head) + pad + strlen(tail);
    frame_len = 4 + json_len;
    frame = malloc(frame_len);
    frame[0] = (char)(json_len >> 24); frame[1] = (char)(json_len >> 16);
    frame[2] = (char)(json_len >> 8); frame[3] = (char)json_len;
    memcpy(frame + 4, head, strlen(head));
    memset(frame + 4 + strlen(head), 'x', pad);
    memcpy(frame + 4 + strlen(head) + pad, tail, strlen(tail));

    client = calloc(1, sizeof *client);
    uv_pipe_init(loop, &client->pipe, 0);
    uv_connect_t req;
    uv_pipe_connect(&req, &client->pipe, path, on_connect);
    uv_run(loop, UV_RUN_DEFAULT);
    if (t_end == 0) t_end = uv_hrtime();
    double secs = (double)(t_end - t0) / 1e9;
    printf("RESULT %s %zu %llu %.6f %.1f\n", mode, body_bytes, (unsigned long long)received, secs,
           secs > 0 ? (double)received / secs : 0.0);
    return 0;
}

int main(int argc, char **argv) {
    loop = uv_default_loop();
    if (argc == 3 && strcmp(argv[1], "server") == 0) return run_server(argv[2]);
    if (argc >= 7 && strcmp(argv[1], "client") == 0) {
        uint64_t win = argc >= 8 ? strtoull(argv[7], NULL, 10) : 512;
        return run_client(argv[2], argv[3], strtoull(argv[4], NULL, 10), strtoull(argv[5], NULL, 10),
                          atof(argv[6]), win);
    }
    fprintf(stderr, "usage: c-echo server PATH | c-echo client PATH pingpong|pipelined BODY_BYTES MAX_COUNT MAX_SECONDS [WINDOW]\n");
    return 2;
}
