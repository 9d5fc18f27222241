#include "front/app/serve_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>

namespace flowline {
namespace {

const char* level_of(EventKind kind) {
  switch (kind) {
    case EventKind::kRunFailed:
    case EventKind::kRunLost:
    case EventKind::kRunOom: return "WARNING";
    default: return "INFO";
  }
}

std::string now_text() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

ServeLog::ServeLog(EngineApi& engine, const std::string& state_dir) : engine_(engine) {
  const std::string path = state_dir + "/flowline.log";
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) file_ = fdopen(fd, "a");
  if (!file_) std::fprintf(stderr, "flowline: cannot write %s; logging to stderr only\n", path.c_str());
  listener_ = engine_.subscribe([this](const EngineEvent& event) {
    if (event.kind == EventKind::kGpuSample) {
      // GPU samples are told on the engine's thread only: gpu_trouble_ needs no lock.
      for (const std::string& line : gpu_trouble_.update(engine_.snapshot()->gpus))
        write("WARNING", line);
    }
    if (event.for_terminal()) write(level_of(event.kind), event.text);
  });
}

ServeLog::~ServeLog() {
  engine_.unsubscribe(listener_);
  if (file_) std::fclose(file_);
}

void ServeLog::write(const char* level, const std::string& message) {
  std::lock_guard lock(mutex_);
  std::fprintf(stderr, "%s\n", message.c_str());
  if (!file_) return;
  std::fprintf(file_, "[%s] [%s] - %s\n", now_text().c_str(), level, message.c_str());
  std::fflush(file_);
}

}  // namespace flowline
