# GPU benchmarks: one sample of 8 simulated GPUs, the sampler's idle CPU at 1 Hz, and (in
# bench/gpus.sh) `flowline gpus` wall time with hyperfine. Figures go to docs/benchmarks.md.
add_executable(bench_gpus ${CMAKE_CURRENT_SOURCE_DIR}/gpus_bench.cpp)
target_link_libraries(bench_gpus PRIVATE flowline_gpu)
target_compile_definitions(bench_gpus PRIVATE
  FLOWLINE_SIM_NVML="$<TARGET_FILE:flowline_sim_nvml>")
add_dependencies(bench_gpus flowline_sim_nvml)
