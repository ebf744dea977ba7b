/* The one-line progress bar of a long command on a terminal (clausedex
 * index): files, MB, MB/s and ETA on stderr, redrawn at most ten times a
 * second (more is flicker and costs time on slow terminals), erased before
 * any other message and at the end so that only messages remain. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>
#include "cli/cli.h"

cli_progress *cli_active_progress;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, bool on, size_t files, uint64_t bytes) {
  *p = (cli_progress){.on = on, .files = files, .bytes = bytes, .t0 = now(), .last = -1};
  cli_active_progress = on ? p : NULL;
}

void cli_progress_clear(cli_progress *p) {
  if (p && p->drawn) {
    fputs("\r\033[K", stderr);
    p->drawn = false;
  }
}

void cli_progress_update(cli_progress *p, size_t files_done, uint64_t bytes_done) {
  if (!p->on) return;
  double t = now();
  if (p->last >= 0 && t - p->last < 0.1) return;
  p->last = t;
  p->redraws++;
  double secs = t - p->t0, mb = (double)bytes_done / 1048576.0,
         total = (double)p->bytes / 1048576.0;
  double rate = secs > 0 ? mb / secs : 0;
  enum { WIDTH = 24 };
  int filled = p->bytes ? (int)((double)WIDTH * (double)bytes_done / (double)p->bytes) : 0;
  char bar[WIDTH + 1];
  for (int i = 0; i < WIDTH; i++) bar[i] = i < filled ? '=' : i == filled ? '>' : ' ';
  bar[WIDTH] = '\0';
  fprintf(stderr, "\r\033[K[%s] %zu/%zu files  %.1f/%.1f MB  %.1f MB/s", bar, files_done, p->files,
          mb, total, rate);
  if (rate > 0 && bytes_done < p->bytes) {
    unsigned eta = (unsigned)((total - mb) / rate + 0.5);
    fprintf(stderr, "  ETA %u:%02u", eta / 60, eta % 60);
  }
  fflush(stderr);
  p->drawn = true;
}

void cli_progress_end(cli_progress *p) {
  cli_progress_clear(p);
  if (cli_active_progress == p) cli_active_progress = NULL;
}
