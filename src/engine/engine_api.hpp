#pragma once
// What front ends (shell, ctl, HTTP) may ask of the engine. Every method is thread-safe: the
// commands run on the engine's loop thread and return its answer; a refused command changes
// nothing and its Error says why and what the right form is.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "core/table_model.hpp"
#include "engine/engine_event.hpp"
#include "engine/snapshot.hpp"

namespace flowline {

enum class StopMode { kStopRuns, kLeaveRuns };

class EngineApi {
 public:
  virtual ~EngineApi() = default;
  virtual std::shared_ptr<const EngineSnapshot> snapshot() const = 0;

  virtual Result<std::string> set_dispatching(bool on) = 0;  // the shell's `run`
  virtual Result<std::string> toggle_gpu(int gpu) = 0;       // `gpu <id>`
  virtual Result<std::string> kill_run(int64_t run_id) = 0;  // `kill <id>`: task requeued
  virtual Result<std::string> kill_gpu(int gpu) = 0;         // `killgpu <id>`
  virtual Result<std::string> set_max(int64_t n) = 0;        // `max <n>`
  virtual Result<std::string> set_min_mem(int64_t mib) = 0;  // `min <MiB>`
  virtual Result<std::string> set_min_mem_auto() = 0;        // `min auto`
  virtual Result<std::string> set_order(const std::string& keys) = 0;  // `order <keys>`
  virtual Result<std::string> drop_task(int64_t task_id) = 0;   // `drop <task>`
  virtual Result<std::string> retry_task(int64_t task_id) = 0;  // `retry <task>`
  // The live table: force a read (`reload`), or append a row to the file and apply it
  // (`add key=value…`, `copy <task> [key=value…]`): the file stays the one source of tasks.
  virtual Result<std::string> reload_table() = 0;
  virtual Result<std::string> add_task(const NewRowCells& cells) = 0;
  virtual Result<std::string> copy_task(int64_t task_id, const NewRowCells& changes) = 0;
  // Writes the task's priority cell into the table and applies it (higher runs first).
  virtual Result<std::string> set_priority(int64_t task_id, int64_t priority) = 0;

  // Finish the loop; kLeaveRuns keeps runs alive for a later `flowline run` to re-adopt.
  virtual void request_stop(StopMode mode) = 0;

  // Events (run finished, OOM requeued, GPU sample…). Listeners are called on the loop thread
  // and must not block: one that may be slow keeps its own bounded queue (front/events/).
  // What was said before the first listener subscribed (what recovery said, before an
  // interactive shell exists) goes to that first listener, on the caller's thread, before
  // subscribe() returns. Returns an id for unsubscribe.
  // Earlier::kSkip: only what happens from now on (the HTTP event ring), leaving what was
  // said before for the listener that will show it to a person.
  using EventListener = std::function<void(const EngineEvent&)>;
  enum class Earlier { kHear, kSkip };
  virtual int subscribe(EventListener listener, Earlier earlier) = 0;
  int subscribe(EventListener listener) { return subscribe(std::move(listener), Earlier::kHear); }
  virtual void unsubscribe(int id) = 0;
};

}  // namespace flowline
