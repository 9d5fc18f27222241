#include "core/failure_classifier.hpp"

#include <algorithm>
#include <cctype>

namespace flowline {
namespace {

constexpr size_t kMaxLineShown = 300;

// Messages that only GPU allocation failures print, matched case-sensitively as printed.
constexpr std::string_view kGpuOomMarkers[] = {
    "CUDA out of memory",         // PyTorch: torch.OutOfMemoryError / RuntimeError
    "CUDA error: out of memory",  // PyTorch surfacing cudaErrorMemoryAllocation
    "cudaErrorMemoryAllocation",  // CUDA runtime API
    "CUDA_ERROR_OUT_OF_MEMORY",   // CUDA driver API (also TensorFlow, JAX, CuPy)
    "CUBLAS_STATUS_ALLOC_FAILED", "CUDNN_STATUS_ALLOC_FAILED",
    "HIP out of memory",  // PyTorch on ROCm prints this instead
    "OutOfMemoryError: CUDA",
};

// Messages used for both host and device memory; they count unless the line names the CPU.
constexpr std::string_view kDeviceOomMarkers[] = {
    "ResourceExhaustedError",             // TensorFlow
    "OOM when allocating tensor",         // TensorFlow
    "RESOURCE_EXHAUSTED: Out of memory",  // JAX / XLA
    "XlaRuntimeError: RESOURCE_EXHAUSTED",
};

bool contains(std::string_view line, std::string_view needle) {
  return line.find(needle) != std::string_view::npos;
}

bool contains_nocase(std::string_view line, std::string_view needle) {
  auto it = std::search(line.begin(), line.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != line.end();
}

bool names_cpu_device(std::string_view line) {
  return contains(line, "device:CPU") || contains(line, "cpu:0") || contains(line, "TFRT_CPU");
}

bool is_gpu_oom_line(std::string_view line) {
  for (auto marker : kGpuOomMarkers) {
    if (contains(line, marker)) return true;
  }
  for (auto marker : kDeviceOomMarkers) {
    if (contains(line, marker)) return !names_cpu_device(line);
  }
  // e.g. "cuda runtime error (2) : out of memory", "GPU out of memory", "cupy ... CUDA ... OOM"
  return contains_nocase(line, "out of memory") &&
         (contains_nocase(line, "cuda") || contains_nocase(line, "gpu"));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string shown(std::string_view line) {
  line = trim(line);
  if (line.size() <= kMaxLineShown) return std::string(line);
  return std::string(line.substr(0, kMaxLineShown)) + "…";
}

}  // namespace

FailureClass classify_failure(std::string_view output_tail) {
  FailureClass result;
  bool oom_seen = false;
  size_t start = 0;
  // Progress bars rewrite their line with '\r', so both end a line here.
  while (start <= output_tail.size()) {
    size_t end = output_tail.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = output_tail.size();
    const std::string_view line = output_tail.substr(start, end - start);
    if (is_gpu_oom_line(line)) {
      oom_seen = true;
      result.line = shown(line);
    } else if (oom_seen && contains(line, "Traceback (most recent call last):")) {
      oom_seen = false;  // a later, different failure: the OOM was handled
      result.line.clear();
    }
    start = end + 1;
  }
  result.kind = oom_seen ? FailureKind::kGpuOutOfMemory : FailureKind::kOther;
  return result;
}

}  // namespace flowline
