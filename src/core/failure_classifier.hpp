#pragma once
// Tells a GPU out-of-memory death from any other failure by the run's last output, because
// DESIGN.md §3's failure policy requeues OOM runs without spending the task's retries.
#include <string>
#include <string_view>

namespace flowline {

enum class FailureKind { kGpuOutOfMemory, kOther };

struct FailureClass {
  FailureKind kind = FailureKind::kOther;
  std::string line;  // the output line that showed the OOM (trimmed, shortened), for display
};

// How much of a run's combined stdout+stderr the caller should pass: its last 64 KiB.
inline constexpr size_t kFailureTailBytes = 64 * 1024;

// Recognises PyTorch, TensorFlow, JAX/XLA, CUDA runtime/driver, cuBLAS and cuDNN allocation
// failures. Host memory errors (Python's MemoryError, std::bad_alloc, TensorFlow OOM on a CPU
// device) are kOther. An OOM followed by a later Python traceback that is not an OOM (one that
// was caught, e.g. by a batch-size finder, before something else failed) is kOther too.
FailureClass classify_failure(std::string_view output_tail);

}  // namespace flowline
