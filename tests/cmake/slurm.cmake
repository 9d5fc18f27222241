# The local Slurm that issue 15's executor is tested against (scripts/slurm-local.sh): root
# only, skipped otherwise. Left running afterwards for the Slurm tests that follow it.
add_test(NAME slurm_local_cluster
         COMMAND ${PROJECT_SOURCE_DIR}/tests/slurm/slurm_local_test.sh)
set_tests_properties(slurm_local_cluster PROPERTIES LABELS "integration;slurm" TIMEOUT 300
                     SKIP_RETURN_CODE 77)
