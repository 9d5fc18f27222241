# `flowline --version` names the version and the commit it was built from
# (src/front/cli/version.hpp). The commit is looked up at every build, not only at configure
# time, so a build after `git commit` or an edit says so; the generated file changes only when
# the answer does, so an unchanged tree recompiles nothing.
set(FLOWLINE_GIT_COMMIT "" CACHE STRING
    "Commit to report when the source is not a git checkout (packagers); empty = look it up")
set(version_info_cpp ${PROJECT_BINARY_DIR}/generated/version_info.cpp)
add_custom_target(flowline_version_info
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUT=${version_info_cpp}
          -DVERSION=${PROJECT_VERSION} -DCOMMIT_OVERRIDE=${FLOWLINE_GIT_COMMIT}
          -P ${PROJECT_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${version_info_cpp}
  COMMENT "Looking up the commit for flowline --version"
  VERBATIM)
