#include "core/failure_classifier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace flowline {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kTorchOom =
    R"(epoch 0:  12%|█▏        | 120/1000 [00:31<03:48,  3.85it/s]
Traceback (most recent call last):
  File "/home/ann/proj/train.py", line 88, in <module>
    main()
  File "/home/ann/proj/train.py", line 61, in main
    loss = model(batch).loss
  File "/usr/lib/python3/dist-packages/torch/nn/modules/module.py", line 1553, in _wrapped_call_impl
    return self._call_impl(*args, **kwargs)
torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.65 GiB of which 1.06 GiB is free. Including non-PyTorch memory, this process has 22.58 GiB memory in use.
)";

constexpr std::string_view kOldTorchOom = R"(Traceback (most recent call last):
  File "main.py", line 12, in <module>
    x = torch.randn(100000, 100000, device="cuda")
RuntimeError: CUDA out of memory. Tried to allocate 37.25 GiB (GPU 0; 10.76 GiB total capacity; 0 bytes already allocated; 9.86 GiB free; 0 bytes reserved in total by PyTorch)
)";

constexpr std::string_view kTorchCudaError = R"(Traceback (most recent call last):
  File "bench.py", line 40, in <module>
    torch.cuda.synchronize()
RuntimeError: CUDA error: out of memory
CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.
For debugging consider passing CUDA_LAUNCH_BLOCKING=1
Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.
)";

constexpr std::string_view kTensorFlowOom =
    R"(2024-03-02 10:11:12.345678: W tensorflow/core/common_runtime/bfc_allocator.cc:479] Allocator (GPU_0_bfc) ran out of memory trying to allocate 4.00GiB (rounded to 4294967296)requested by op MatMul
Traceback (most recent call last):
  File "tf_train.py", line 30, in <module>
    model.fit(x, y, epochs=3)
tensorflow.python.framework.errors_impl.ResourceExhaustedError: Graph execution error:

OOM when allocating tensor with shape[32768,32768] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc
	 [[{{node MatMul}}]]
)";

constexpr std::string_view kJaxOom = R"(Traceback (most recent call last):
  File "jax_run.py", line 9, in <module>
    y = jnp.ones((1 << 20, 1 << 14))
jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Out of memory while trying to allocate 68719476736 bytes.
)";

TEST(FailureClassifier, PyTorchOutOfMemory) {
  const auto c = classify_failure(kTorchOom);
  EXPECT_EQ(c.kind, FailureKind::kGpuOutOfMemory);
  EXPECT_THAT(c.line, StartsWith("torch.OutOfMemoryError: CUDA out of memory. Tried"));
  EXPECT_EQ(classify_failure(kOldTorchOom).kind, FailureKind::kGpuOutOfMemory);
  const auto cuda = classify_failure(kTorchCudaError);
  EXPECT_EQ(cuda.kind, FailureKind::kGpuOutOfMemory);
  EXPECT_EQ(cuda.line, "RuntimeError: CUDA error: out of memory");
}

TEST(FailureClassifier, TensorFlowOutOfMemoryOnGpu) {
  const auto c = classify_failure(kTensorFlowOom);
  EXPECT_EQ(c.kind, FailureKind::kGpuOutOfMemory);
  EXPECT_THAT(c.line, HasSubstr("OOM when allocating tensor"));
}

TEST(FailureClassifier, TensorFlowOutOfMemoryOnCpuIsNotGpu) {
  EXPECT_EQ(classify_failure("tensorflow.python.framework.errors_impl.ResourceExhaustedError: "
                             "OOM when allocating tensor with shape[1000000,100000] and type "
                             "float on /job:localhost/replica:0/task:0/device:CPU:0 by allocator "
                             "cpu\n")
                .kind,
            FailureKind::kOther);
}

TEST(FailureClassifier, JaxOutOfMemory) {
  const auto c = classify_failure(kJaxOom);
  EXPECT_EQ(c.kind, FailureKind::kGpuOutOfMemory);
  EXPECT_THAT(c.line, StartsWith("jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED"));
}

TEST(FailureClassifier, CudaRuntimeAndLibraryAllocationFailures) {
  for (std::string_view line : {
           "main.cu:42: cudaMalloc failed: cudaErrorMemoryAllocation (out of memory)",
           "cupy_backends.cuda.api.driver.CUDADriverError: CUDA_ERROR_OUT_OF_MEMORY: out of memory",
           "RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling "
           "`cublasCreate(handle)`",
           "RuntimeError: cuDNN error: CUDNN_STATUS_ALLOC_FAILED",
           "THCudaCheck FAIL file=/pytorch/aten/src/THC/generic/THCStorage.cu line=58 error=2 : "
           "out of memory (cuda runtime error (2))",
       }) {
    const auto c = classify_failure("starting\n" + std::string(line) + "\n");
    EXPECT_EQ(c.kind, FailureKind::kGpuOutOfMemory) << line;
    EXPECT_EQ(c.line, line);
  }
}

TEST(FailureClassifier, HostMemoryErrorsAreNotGpuOom) {
  EXPECT_EQ(classify_failure("Traceback (most recent call last):\n"
                             "  File \"prep.py\", line 3, in <module>\n"
                             "    data = [0] * (10 ** 12)\n"
                             "MemoryError\n")
                .kind,
            FailureKind::kOther);
  EXPECT_EQ(classify_failure("terminate called after throwing an instance of 'std::bad_alloc'\n"
                             "  what():  std::bad_alloc\nAborted (core dumped)\n")
                .kind,
            FailureKind::kOther);
  EXPECT_EQ(classify_failure("numpy.core._exceptions._ArrayMemoryError: Unable to allocate "
                             "74.5 GiB for an array with shape (100000, 100000)\n")
                .kind,
            FailureKind::kOther);
  EXPECT_EQ(classify_failure("Killed\n").kind, FailureKind::kOther);
}

TEST(FailureClassifier, OrdinaryFailureIsOther) {
  const auto c = classify_failure(
      "Traceback (most recent call last):\n"
      "  File \"train.py\", line 1, in <module>\n"
      "ValueError: learning rate must be positive\n");
  EXPECT_EQ(c.kind, FailureKind::kOther);
  EXPECT_EQ(c.line, "");
  EXPECT_EQ(classify_failure("").kind, FailureKind::kOther);
}

TEST(FailureClassifier, CaughtOomFollowedByAnotherErrorIsOther) {
  const std::string output = std::string(kOldTorchOom) +
                             "batch size 64 does not fit, trying 32\n"
                             "Traceback (most recent call last):\n"
                             "  File \"main.py\", line 50, in <module>\n"
                             "KeyError: 'labels'\n";
  EXPECT_EQ(classify_failure(output).kind, FailureKind::kOther);
}

TEST(FailureClassifier, ChainedTracebackEndingInOomIsOom) {
  const std::string output =
      "Traceback (most recent call last):\n"
      "ValueError: x\n\n"
      "During handling of the above exception, another exception "
      "occurred:\n\n" +
      std::string(kOldTorchOom);
  EXPECT_EQ(classify_failure(output).kind, FailureKind::kGpuOutOfMemory);
}

TEST(FailureClassifier, ProgressBarCarriageReturnsSplitLines) {
  const auto c = classify_failure("10%\r20%\rRuntimeError: CUDA out of memory. Tried 1 GiB\r\n");
  EXPECT_EQ(c.kind, FailureKind::kGpuOutOfMemory);
  EXPECT_EQ(c.line, "RuntimeError: CUDA out of memory. Tried 1 GiB");
}

TEST(FailureClassifier, LongLinesAreShortenedForDisplay) {
  const auto c = classify_failure("CUDA out of memory " + std::string(5000, 'x'));
  EXPECT_EQ(c.kind, FailureKind::kGpuOutOfMemory);
  EXPECT_LT(c.line.size(), 400u);
}

}  // namespace
}  // namespace flowline
