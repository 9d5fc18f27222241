#pragma once
// What `flowline serve` says, one line per event meant for people: on stderr (journald adds
// its own time stamps) and appended to STATE_DIR/flowline.log as "[time] [LEVEL] - message",
// the form GET /api/log/<name> parses (the original's log format).
#include <cstdio>
#include <mutex>
#include <string>

#include "engine/engine_api.hpp"
#include "front/app/gpu_trouble.hpp"

namespace flowline {

class ServeLog {
 public:
  ServeLog(EngineApi& engine, const std::string& state_dir);
  ~ServeLog();
  ServeLog(const ServeLog&) = delete;
  ServeLog& operator=(const ServeLog&) = delete;

  // For lines that are not engine events (start-up, the URL, the signal).
  void write(const char* level, const std::string& message);

 private:
  EngineApi& engine_;
  std::mutex mutex_;
  FILE* file_ = nullptr;
  GpuTrouble gpu_trouble_;  // a GPU that stops answering is said once (gpu_trouble.hpp)
  int listener_ = 0;
};

}  // namespace flowline
