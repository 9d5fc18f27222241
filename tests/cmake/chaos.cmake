# The chaos suite at CI's size: 150 tasks, FlowLine killed 20 times (at random, between a table
# write and its rename, inside a database transaction, with its supervisors), the table edited
# between restarts. `tests/chaos/chaos.sh BUILD` runs the full size (500 tasks, 50 kills).
add_test(NAME chaos_kills_lose_and_repeat_nothing
         COMMAND ${PROJECT_SOURCE_DIR}/tests/chaos/chaos.sh ${PROJECT_BINARY_DIR} 150 20 1)
set_tests_properties(chaos_kills_lose_and_repeat_nothing PROPERTIES LABELS "integration;chaos"
                     TIMEOUT 600)
