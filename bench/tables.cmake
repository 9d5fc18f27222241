# table_bench: generates a 100,000-row x 10-column table as CSV and XLSX and times loading
# it and writing one run_num back. Run through bench/tables.sh (Release build).
add_executable(table_bench ${CMAKE_CURRENT_LIST_DIR}/table_bench.cpp)
target_link_libraries(table_bench PRIVATE flowline_table)
