// LD_PRELOAD shim for tests: shifts the system's wall clock (CLOCK_REALTIME) seen by the
// process by the milliseconds written in the file $FLOWLINE_TEST_CLOCK_SHIFT_FILE (e.g.
// -3600000: an hour back), read at every call, so a test can make the clock jump while
// FlowLine runs without changing the machine's clock. The monotonic clock is left alone.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long shift_ms(void) {
  const char* path = getenv("FLOWLINE_TEST_CLOCK_SHIFT_FILE");
  if (!path) return 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[32] = {0};
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  return n > 0 ? atoll(text) : 0;
}

int clock_gettime(clockid_t id, struct timespec* ts) {
  static int (*real)(clockid_t, struct timespec*);
  if (!real) real = (int (*)(clockid_t, struct timespec*))dlsym(RTLD_NEXT, "clock_gettime");
  int rc = real(id, ts);
  if (rc != 0 || (id != CLOCK_REALTIME && id != CLOCK_REALTIME_COARSE)) return rc;
  long long ns = (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec + shift_ms() * 1000000LL;
  ts->tv_sec = ns / 1000000000LL;
  ts->tv_nsec = ns % 1000000000LL;
  return 0;
}
