# Core task validation and command expansion (area: tasks).
find_package(benchmark REQUIRED)
add_executable(bench_tasks ${CMAKE_CURRENT_LIST_DIR}/tasks_bench.cpp)
target_link_libraries(bench_tasks PRIVATE flowline_core benchmark::benchmark)
add_executable(tasks_load_bench ${CMAKE_CURRENT_LIST_DIR}/tasks_load_bench.cpp)
target_link_libraries(tasks_load_bench PRIVATE flowline_table)
