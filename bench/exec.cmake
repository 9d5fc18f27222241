# Executor throughput vs xargs: `cmake --build BUILD --target run_bench_exec`.
add_executable(bench_exec ${CMAKE_CURRENT_LIST_DIR}/exec_bench.cpp)
target_link_libraries(bench_exec PRIVATE flowline_exec)
add_dependencies(bench_exec flowline-supervise)
add_custom_target(run_bench_exec
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/exec_bench.sh $<TARGET_FILE:bench_exec>
          ${PROJECT_BINARY_DIR}/src/flowline-supervise
  DEPENDS bench_exec USES_TERMINAL)
