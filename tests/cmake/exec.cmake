# The executor tests exec the real supervisor from the build tree.
if(TARGET unit_exec)
  add_dependencies(unit_exec flowline-supervise)
endif()
